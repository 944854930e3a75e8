/// Walks a PNG's chunks as its bytes stream past: 8-byte headers are assembled across chunk
/// boundaries, payloads are skipped except IHDR, the first eXIf and the text chunks that hold
/// a legacy `Raw profile type exif` (`PNGRawProfile`), and IEND ends the walk.
///
/// CRCs are not checked, except IHDR's: checking every IDAT would cost as much as hashing, and
/// a broken IHDR is the one that makes the dimensions wrong.
final class PNGScanner: ContainerParser {
    private enum State {
        /// Matching the 8-byte signature; the payload counts the bytes matched.
        case signature(Int)
        /// Assembling a chunk header (length, type); the payload counts the bytes read.
        case header(Int)
        /// Inside a chunk's data and CRC, `remaining` bytes to go.
        case payload
        /// After IEND, or after an error the walk cannot continue from.
        case done
    }

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let ihdr = UInt32(fourCC: "IHDR")
    private static let exifType = UInt32(fourCC: "eXIf")
    private static let iend = UInt32(fourCC: "IEND")
    private static let itxt = UInt32(fourCC: "iTXt")
    private static let textTypes: Set<UInt32> = [UInt32(fourCC: "tEXt"), UInt32(fourCC: "zTXt"), UInt32(fourCC: "iTXt")]

    private var state = State.signature(0)
    private var info = ImageInfo(format: .png)
    private var chunkStart = 0

    private var header: UInt64 = 0
    private var chunkOffset = 0
    private var chunkLength = 0
    private var chunkType: UInt32 = 0
    private var chunkCount = 0
    private var remaining = 0
    private var collecting = false
    private var payload: [UInt8] = []
    private var sawExif = false
    /// A text chunk is collected only while its first bytes could still be a raw-profile keyword.
    private var textKeywordChecked = false
    /// EXIF from a raw-profile text chunk, used when there is no eXIf chunk.
    private var textExif: [UInt8]?
    private var sawXMP = false

    func consume(_ chunk: UnsafeRawBufferPointer) {
        guard !chunk.isEmpty else { return }
        let n = chunk.count
        defer { chunkStart += n }
        var i = 0
        while i < n {
            switch state {
            case .done:
                return
            case .signature(let matched):
                guard chunk[i] == Self.signature[matched] else {
                    info.noteDamage("no png signature")
                    state = .done
                    return
                }
                i += 1
                state = matched + 1 == Self.signature.count ? .header(0) : .signature(matched + 1)
            case .header(let read):
                if read == 0 { chunkOffset = chunkStart + i }
                header = header << 8 | UInt64(chunk[i])
                i += 1
                if read + 1 == 8 { beginChunk() } else { state = .header(read + 1) }
            case .payload:
                let take = min(remaining, n - i)
                if collecting {
                    payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i ..< i + take]))
                    if !textKeywordChecked, payload.count >= PNGRawProfile.longestKeyword {
                        textKeywordChecked = true
                        if PNGRawProfile.keyword(payload) == nil, !(wantsXMP && XMPPacket.hasPNGKeyword(payload)) {
                            collecting = false; payload = []
                        }
                    }
                }
                i += take
                remaining -= take
                if remaining == 0 { endChunk() }
            }
        }
    }

    private func beginChunk() {
        chunkLength = Int(header >> 32)
        chunkType = UInt32(truncatingIfNeeded: header)
        header = 0
        let name = chunkType.fourCCString
        guard chunkLength <= 0x7FFF_FFFF else {
            info.noteDamage("chunk '\(name)' at offset \(chunkOffset) declares \(chunkLength) bytes, more than 2^31-1")
            state = .done
            return
        }
        guard Self.isLetters(chunkType) else {
            info.noteDamage("invalid chunk type at offset \(chunkOffset)")
            state = .done
            return
        }
        if chunkCount == 0, chunkType != Self.ihdr {
            info.noteDamage("first chunk is '\(name)', not IHDR")
        }
        chunkCount += 1
        collecting = false
        switch chunkType {
        case Self.ihdr where info.width == nil:
            collecting = true
        case let type where Self.textTypes.contains(type) && textExif == nil && !sawExif:
            // Hex text takes a little over twice the bytes it encodes.
            collecting = chunkLength <= 3 * ProbeLimits.exifBytes
            textKeywordChecked = false
        case Self.itxt where wantsXMP:
            // Collected while its keyword could be XMP's; a larger packet is dropped at its end
            // with a warning.
            collecting = chunkLength <= 3 * ProbeLimits.exifBytes
            textKeywordChecked = false
        case Self.exifType where !sawExif:
            sawExif = true
            if chunkLength > ProbeLimits.exifBytes {
                info.warnings.append(ExifPayload.tooLargeWarning(size: chunkLength))
            } else {
                collecting = true
            }
        default:
            break
        }
        if !Self.textTypes.contains(chunkType) { textKeywordChecked = true }
        // No reserveCapacity from the declared length: a lying header in a tiny file would
        // cost 16 MiB. Appending grows the buffer only as the bytes really arrive.
        payload.removeAll(keepingCapacity: false)
        remaining = chunkLength + 4  // data and CRC
        state = .payload
    }

    private func endChunk() {
        state = .header(0)
        if collecting {
            collecting = false
            let data = payload[..<chunkLength]
            switch chunkType {
            case Self.ihdr:
                if chunkLength != 13 {
                    info.noteDamage("IHDR chunk has \(chunkLength) bytes, not 13")
                } else {
                    let width = Int(data.be32(0)), height = Int(data.be32(4))
                    info.setSize(width: width, height: height)
                    var crc = CRC32()
                    crc.update(Array("IHDR".utf8))
                    crc.update(data)
                    // A checksum mismatch explains a wrong size, so it is reported first.
                    if crc.value != payload.be32(chunkLength) { info.noteDamage("IHDR checksum mismatch") }
                    // The PNG specification allows 1 to 2^31-1 in each dimension; libpng refuses the rest.
                    if !(1 ... 0x7FFF_FFFF).contains(width) || !(1 ... 0x7FFF_FFFF).contains(height) {
                        info.noteDamage("invalid IHDR size \(width)x\(height)")
                    }
                }
            case Self.exifType:
                let (exif, warning) = ExifPayload.normalize(data)
                info.exif = exif
                if let warning { info.warnings.append(warning) }
            case Self.itxt where wantsXMP && XMPPacket.hasPNGKeyword(data):
                sawXMP = true
                let (xmp, warning) = XMPPacket.fromPNG(chunkType: chunkType, data)
                info.xmp = xmp
                if let warning { info.warnings.append(warning) }
            default:
                let (exif, warning) = PNGRawProfile.exif(chunkType: chunkType, data)
                if let exif { textExif = exif }
                if let warning { info.warnings.append(warning) }
            }
            payload = []
        }
        if chunkType == Self.iend {
            state = .done
        }
    }

    /// Whether an XMP iTXt chunk is still to be found: the first one counts.
    private var wantsXMP: Bool { !sawXMP }

    /// Chunk types are four ASCII letters; anything else means the walk lost its place.
    private static func isLetters(_ type: UInt32) -> Bool {
        (0 ..< 4).allSatisfy { shift in
            let c = UInt8(truncatingIfNeeded: type >> (8 * UInt32(shift)))
            return (0x41 ... 0x5A).contains(c) || (0x61 ... 0x7A).contains(c)
        }
    }

    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var result = info
        // The eXIf chunk is the standard place; the text chunk is what older tools wrote.
        if result.exif == nil { result.exif = textExif }
        switch state {
        case .done:
            break
        case .signature:
            result.noteDamage("truncated: no png signature")
        case .payload:
            result.noteDamage("truncated: chunk '\(chunkType.fourCCString)' at offset \(chunkOffset) extends past end of file")
        case .header:
            result.noteDamage("truncated: no IEND chunk")
        }
        if chunkCount == 0 { result.noteDamage("truncated: no IHDR chunk") }
        return result
    }
}
