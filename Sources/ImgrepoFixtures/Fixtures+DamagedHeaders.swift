/// Hostile headers made from valid libgd fixtures by patching a few bytes: each describes no
/// picture (a zero dimension) or pixels the file cannot hold, the damage the upload refuses.
extension Fixtures {
    /// One kind of damaged header, with the words the probe's damage report uses for it.
    public enum DamagedHeader: String, CaseIterable, Sendable, CustomStringConvertible {
        case bmpWidthZero, jpegSizeZero, pngWidthZero, webpWidthZero, tiffStripPastEnd, gifFrameOutsideScreen

        /// A file name with the format's extension.
        public var fileName: String {
            switch self {
            case .bmpWidthZero: "zero.bmp"
            case .jpegSizeZero: "zero.jpg"
            case .pngWidthZero: "zero.png"
            case .webpWidthZero: "zero.webp"
            case .tiffStripPastEnd: "strip.tif"
            case .gifFrameOutsideScreen: "frame.gif"
            }
        }

        /// What the damage report says.
        public var reason: String {
            switch self {
            case .bmpWidthZero: "invalid bitmap width 0"
            case .jpegSizeZero: "invalid frame size 0x0"
            case .pngWidthZero: "invalid IHDR size 0x48"
            case .webpWidthZero: "invalid vp8 frame size 0x48"
            case .tiffStripPastEnd: "runs past end of file"
            case .gifFrameOutsideScreen: "lies outside the 64x48 logical screen"
            }
        }

        public var description: String { rawValue }
    }

    /// A 64×48 picture of `kind`'s format with its header patched.
    public static func damaged(_ kind: DamagedHeader) -> [UInt8] {
        let (w, h) = (64, 48)
        switch kind {
        case .bmpWidthZero:
            // File header (14), DIB size (4), then the signed 32-bit width.
            return patching(bmp(width: w, height: h), at: 18, [0, 0, 0, 0])

        case .jpegSizeZero:
            var b = jpeg(width: w, height: h)
            var i = 2
            while i + 4 <= b.count, b[i] == 0xFF {
                let marker = b[i + 1]
                if (0xC0 ... 0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    // FF Cn, length, precision, then height and width.
                    b.replaceSubrange(i + 5 ..< i + 9, with: [0, 0, 0, 0])
                    return b
                }
                i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
            }
            preconditionFailure("libgd: jpeg without a frame header")

        case .pngWidthZero:
            // Signature (8), IHDR length (4), "IHDR", then 13 bytes of data and the CRC.
            let b = png(width: w, height: h)
            precondition(b[12 ..< 16].elementsEqual("IHDR".utf8), "libgd: png without IHDR first")
            let data = [0, 0, 0, 0] + Array(b[20 ..< 29])
            return patching(b, at: 12, pngChunk("IHDR", data).dropFirst(4))

        case .webpWidthZero:
            // RIFF header (12), "VP8 " and its size (8), frame tag (3), start code (3), 14-bit width.
            let b = webp(width: w, height: h)
            precondition(b[12 ..< 16].elementsEqual("VP8 ".utf8), "libgd: webp not in the simple lossy format")
            return patching(b, at: 26, [0, 0])

        case .tiffStripPastEnd:
            return tiffWithLastStripPastEnd(tiff(width: w, height: h))

        case .gifFrameOutsideScreen:
            // The first image descriptor's left edge moves one pixel right.
            let b = gif(width: w, height: h)
            var i = 13
            if b[10] & 0x80 != 0 { i += 3 << (Int(b[10] & 7) + 1) }
            while b[i] == 0x21 {
                i += 2
                while b[i] != 0 { i += 1 + Int(b[i]) }
                i += 1
            }
            precondition(b[i] == 0x2C, "libgd: gif without an image descriptor")
            return patching(b, at: i + 1, [1, 0])
        }
    }

    /// `tiff` with its last strip's StripByteCounts value set past the end of the file.
    static func tiffWithLastStripPastEnd(_ tiff: [UInt8]) -> [UInt8] {
        let little = tiff[0] == 0x49
        func read(_ at: Int, _ n: Int) -> Int {
            (0 ..< n).reduce(0) { v, k in v | Int(tiff[at + (little ? k : n - 1 - k)]) << (8 * k) }
        }
        func bytes(_ v: Int, _ n: Int) -> [UInt8] {
            (0 ..< n).map { k in UInt8(truncatingIfNeeded: v >> (8 * (little ? k : n - 1 - k))) }
        }
        let ifd = read(4, 4)
        for e in 0 ..< read(ifd, 2) {
            let entry = ifd + 2 + 12 * e
            guard read(entry, 2) == 279 else { continue }
            let unit = read(entry + 2, 2) == 3 ? 2 : 4
            let count = read(entry + 4, 4)
            let values = count * unit <= 4 ? entry + 8 : read(entry + 8, 4)
            let last = values + (count - 1) * unit
            return patching(tiff, at: last, bytes(unit == 2 ? 0xFFFF : 0x7FFF_FFFF, unit))
        }
        preconditionFailure("libgd: tiff without StripByteCounts")
    }

    static func patching<C: Collection<UInt8>>(_ bytes: [UInt8], at offset: Int, _ replacement: C) -> [UInt8] {
        var b = bytes
        b.replaceSubrange(offset ..< offset + replacement.count, with: replacement)
        return b
    }
}
