#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows a JPEG's marker structure as its bytes stream past, in any chunking: segments with a
/// length are skipped (or, for the few it needs, collected), entropy-coded data is scanned for
/// markers with `memchr`, and the first end-of-image marker after scan data ends the walk.
///
/// Memory is bounded by the largest collected segment (64 KiB: a length field is 16 bits).
/// Only the first EXIF APP1 segment is kept; EXIF split over several APP1 segments is not joined.
/// The first APP12 "Picture Info" segment with fields imgrepo uses is parsed (`PictureInfo`), and
/// so is the first APP0 segment holding a Canon CIFF heap with such fields (`CanonCIFF`).
final class JPEGScanner: ContainerParser {
    private enum State {
        /// Matching the leading FF D8; the payload counts the bytes matched.
        case startOfImage(Int)
        /// Between segments: the next byte must be FF.
        case markerPrefix
        /// After an FF outside scan data: the marker code, or more FF fill bytes.
        case markerCode
        /// Reading a segment's 2-byte length; the payload counts the bytes read.
        case segmentLength(Int)
        /// Inside a segment's payload, `remaining` bytes to go.
        case segmentPayload
        /// Inside entropy-coded data after SOS.
        case entropy
        /// After an FF inside entropy-coded data.
        case entropyMarker
        /// After a structural error before the frame header: skipping to the next FF to pick
        /// the structure up again, so the dimensions can still be found after damage.
        case resync
        /// After the end-of-image marker that follows the scans, or after damage once the size
        /// is known; later bytes are ignored.
        case done
    }

    private var state = State.startOfImage(0)
    private var info = ImageInfo(format: .jpeg)
    /// Absolute offset of the current chunk's first byte.
    private var chunkStart = 0

    private var marker: UInt8 = 0
    private var markerOffset = 0
    private var segmentLength = 0
    private var remaining = 0
    private var collecting = false
    private var segment: [UInt8] = []

    private var sawFrame = false
    private var sawScan = false
    private var sawExifSegment = false
    private var sawXMPSegment = false
    private var sawPictureInfo = false
    private var sawCIFF = false

    /// The first scan has begun: the EXIF and XMP segments (APP1) come before it.
    var metadataComplete: Bool { sawScan }

    func consume(_ chunk: UnsafeRawBufferPointer) {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        let n = chunk.count
        defer { chunkStart += n }
        var i = 0
        while i < n {
            switch state {
            case .done:
                return

            case .startOfImage(let matched):
                let expected: UInt8 = matched == 0 ? 0xFF : 0xD8
                guard chunk[i] == expected else {
                    info.noteDamage("no start-of-image marker")
                    state = .done
                    return
                }
                i += 1
                state = matched == 0 ? .startOfImage(1) : .markerPrefix

            case .markerPrefix:
                if chunk[i] == 0xFF {
                    state = .markerCode
                    i += 1
                } else {
                    corrupt(at: chunkStart + i)
                }

            case .markerCode:
                let code = chunk[i]
                i += 1
                if code != 0xFF { begin(marker: code, at: chunkStart + i - 2) }

            case .segmentLength(let read):
                if read == 0 {
                    segmentLength = Int(chunk[i]) << 8
                    state = .segmentLength(1)
                    i += 1
                } else {
                    segmentLength |= Int(chunk[i])
                    i += 1
                    beginPayload()
                }

            case .segmentPayload:
                let take = min(remaining, n - i)
                if collecting {
                    segment.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i ..< i + take]))
                }
                i += take
                remaining -= take
                if remaining == 0 { endSegment() }

            case .entropy:
                i = scanEntropy(base, from: i, count: n)

            case .entropyMarker:
                let code = chunk[i]
                i += 1
                switch code {
                case 0x00, 0xD0 ... 0xD7: state = .entropy  // stuffed FF data byte, restart marker
                case 0xFF: break  // fill byte before a marker
                default: begin(marker: code, at: chunkStart + i - 2)
                }

            case .resync:
                if let found = memchr(base + i, 0xFF, n - i) {
                    i = base.distance(to: UnsafeRawPointer(found)) + 1
                    state = .markerCode
                } else {
                    i = n
                }
            }
        }
    }

    /// Scans entropy-coded data from `start` and returns where to continue. Stuffed FF 00 and
    /// restart markers stay in the scan without leaving this loop: this is the hot path, about
    /// one FF every 256 bytes of a camera JPEG.
    private func scanEntropy(_ base: UnsafeRawPointer, from start: Int, count n: Int) -> Int {
        var j = start
        while j < n {
            guard let found = memchr(base + j, 0xFF, n - j) else { return n }
            let k = base.distance(to: UnsafeRawPointer(found))
            guard k + 1 < n else {
                state = .entropyMarker
                return n
            }
            let next = base.load(fromByteOffset: k + 1, as: UInt8.self)
            if next == 0x00 || (next >= 0xD0 && next <= 0xD7) {
                j = k + 2
                continue
            }
            if next == 0xFF {
                state = .entropyMarker
                return k + 1
            }
            begin(marker: next, at: chunkStart + k)
            return k + 2
        }
        return n
    }

    /// Acts on the marker `code` whose FF starts at absolute `offset`.
    private func begin(marker code: UInt8, at offset: Int) {
        switch code {
        case 0x00, 0x02 ..< 0xC0:
            // FF 00 is stuffing, which only exists inside scan data; 02–BF are reserved codes
            // no encoder writes, so meeting one means the bytes are damaged.
            corrupt(at: offset)
        case 0x01, 0xD0 ... 0xD8:
            // TEM, restarts and a stray SOI stand alone, without a length.
            state = .markerPrefix
        case 0xD9:
            if !sawScan { info.noteDamage("end-of-image marker before any scan data") }
            state = .done
        default:
            marker = code
            markerOffset = offset
            state = .segmentLength(0)
        }
    }

    private func beginPayload() {
        guard segmentLength >= 2 else {
            // The length counts itself, so below 2 the walk cannot advance.
            corrupt(at: markerOffset + 2)
            return
        }
        remaining = segmentLength - 2
        collecting = needsPayload(marker)
        segment.removeAll(keepingCapacity: true)
        if collecting { segment.reserveCapacity(remaining) }
        if remaining == 0 { endSegment() } else { state = .segmentPayload }
    }

    private func needsPayload(_ code: UInt8) -> Bool {
        if Self.isFrameHeader(code) { return !sawFrame }
        if code == 0xE1 { return !sawExifSegment || !sawXMPSegment }
        if code == 0xEC { return !sawPictureInfo }  // APP12 Picture Info
        if code == 0xE0 { return !sawCIFF }  // APP0: JFIF, JFXX, or a Canon CIFF heap
        return code == 0xDC  // DNL, the height of a frame that declared 0
    }

    /// SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range.
    static func isFrameHeader(_ code: UInt8) -> Bool {
        (0xC0 ... 0xCF).contains(code) && code != 0xC4 && code != 0xC8 && code != 0xCC
    }

    private func endSegment() {
        state = .markerPrefix
        if collecting {
            collecting = false
            process(segment)
        }
        if marker == 0xDA {
            if !sawFrame { info.noteDamage("scan before any frame header (no SOF before SOS)") }
            sawScan = true
            state = .entropy
        }
    }

    private func process(_ payload: [UInt8]) {
        switch marker {
        case 0xE1:
            if !sawXMPSegment, let xmp = XMPPacket.fromJPEG(payload) {
                sawXMPSegment = true
                info.xmp = xmp
                return
            }
            guard !sawExifSegment, ExifPayload.hasExifPrefix(payload) else { return }
            sawExifSegment = true
            let (exif, warning) = ExifPayload.normalize(payload)
            info.exif = exif
            if let warning { info.warnings.append(warning) }
        case 0xEC:
            if let pictureInfo = PictureInfo.parse(payload) {
                sawPictureInfo = true
                info.pictureInfo = pictureInfo
            }
        case 0xE0:
            if let ciff = CanonCIFF.parse(payload) {
                sawCIFF = true
                info.canonCIFF = ciff
            }
        case 0xDC:
            if payload.count >= 2, sawFrame, info.height == nil {
                let lines = Int(payload.be16(0))
                if lines > 0 { info.height = lines }
            }
        default:
            sawFrame = true
            guard payload.count >= 5 else {
                info.noteDamage("frame header too short at offset \(markerOffset)")
                return
            }
            let width = Int(payload.be16(3)), height = Int(payload.be16(1))
            info.setSize(width: width, height: height)
            // No decoder makes a picture of width 0. Height 0 is legal: a DNL segment after the
            // first scan gives it, so its absence is only known at the end (`finish`).
            if width == 0 { info.noteDamage("invalid frame size \(width)x\(height)") }
        }
    }

    private func corrupt(at offset: Int) {
        info.noteDamage("corrupt marker structure at offset \(offset)")
        collecting = false
        // Past the break, markers found by searching may be chance bytes: only worth chasing
        // while the frame header (the size) is still missing.
        state = sawFrame ? .done : .resync
    }

    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var result = info
        switch state {
        case .done:
            break
        case .segmentLength, .segmentPayload:
            result.noteDamage("truncated inside a marker segment")
        case .startOfImage:
            result.noteDamage("truncated: no scan data")
        case .markerPrefix, .markerCode, .entropy, .entropyMarker, .resync:
            result.noteDamage(sawScan ? "truncated: no end-of-image marker after scan data" : "truncated: no scan data")
        }
        if !sawFrame { result.noteDamage("no frame header (SOF)") }
        if sawFrame, result.height == nil { result.noteDamage("invalid frame height 0, and no DNL segment gives it") }
        return result
    }
}
