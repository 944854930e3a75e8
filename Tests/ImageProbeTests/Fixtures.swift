import ImageProbe

/// Tiny hand-made image files, byte by byte: just enough structure for the probe to read.
enum Fixture {
    // MARK: Integers

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: Int) -> [UInt8] { be16(v >> 16) + be16(v) }
    static func be64(_ v: UInt64) -> [UInt8] { be32(Int(v >> 32)) + be32(Int(v & 0xFFFF_FFFF)) }
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v) + le16(v >> 16) }
    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// A minimal big-endian EXIF block: TIFF header and an empty IFD0.
    static let exifBlock: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0]

    // MARK: JPEG

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + be16(payload.count + 2) + payload
    }

    /// Entropy-coded bytes with a stuffed FF 00, a restart marker and another stuffed FF.
    static let scanData: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A, 0xFF, 0x00, 0xBC]

    static let dqt = segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
    static let dht = segment(0xC4, [0x00] + [0, 1] + [UInt8](repeating: 0, count: 14) + [0x00])
    static let sos = segment(0xDA, [1, 1, 0x00, 0, 63, 0])

    static func sof(_ marker: UInt8 = 0xC0, width: Int, height: Int) -> [UInt8] {
        segment(marker, [8] + be16(height) + be16(width) + [1, 1, 0x11, 0])
    }

    /// SOI, APP1 Exif, DQT, SOF, DHT, then `scans` scans (DHT before each later one, as in a
    /// progressive file), EOI.
    static func jpeg(width: Int = 320, height: Int = 240, exif: [UInt8]? = exifBlock, frameMarker: UInt8 = 0xC0,
                     scans: Int = 1) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        if let exif { b += segment(0xE1, ascii("Exif") + [0, 0] + exif) }
        b += dqt + sof(frameMarker, width: width, height: height) + dht
        for s in 0 ..< scans {
            if s > 0 { b += dht }
            b += sos + scanData
        }
        return b + [0xFF, 0xD9]
    }

    // MARK: PNG

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0 ..< 8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = ascii(type) + data
        return be32(data.count) + typed + be32(Int(crc32(typed)))
    }

    static func ihdr(width: Int, height: Int) -> [UInt8] {
        chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
    }

    static func png(width: Int = 16, height: Int = 9, extra: [[UInt8]] = [], iend: Bool = true) -> [UInt8] {
        var b = pngSignature + ihdr(width: width, height: height)
        for e in extra { b += e }
        b += chunk("IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])
        if iend { b += chunk("IEND", []) }
        return b
    }

    // MARK: GIF, BMP

    /// A GIF with a 2-colour global table, a graphic control extension and one frame covering
    /// the logical screen (its LZW data is a stand-in: the probe does not decode it).
    static func gif(width: Int, height: Int) -> [UInt8] {
        let screen = ascii("GIF89a") + le16(width) + le16(height) + [0x80, 0, 0] + [0, 0, 0, 255, 255, 255]
        let control: [UInt8] = [0x21, 0xF9, 4, 0, 0, 0, 0, 0]
        let frame = [0x2C] + le16(0) + le16(0) + le16(width) + le16(height) + [0x00] + [2, 2, 0x44, 0x01, 0]
        return screen + control + frame + [0x3B]
    }

    /// The offset of `gif`'s image descriptor (its 0x2C), where left, top, width and height follow.
    static let gifFrameOffset = 13 + 6 + 8

    /// A 24-bit BITMAPINFOHEADER BMP; negative `height` stores rows top-down.
    static func bmp(width: Int, height: Int, pixelBytes: Int? = nil) -> [UInt8] {
        let rowBytes = (width * 24 + 31) / 32 * 4
        let pixels = pixelBytes ?? rowBytes * abs(height)
        let dib = le32(40) + le32(width) + le32(height) + le16(1) + le16(24) + le32(0) + le32(0)
            + le32(2835) + le32(2835) + le32(0) + le32(0)
        return ascii("BM") + le32(54 + pixels) + le32(0) + le32(54) + dib + [UInt8](repeating: 0x7F, count: pixels)
    }

    static func bmpCore(width: Int, height: Int) -> [UInt8] {
        let rowBytes = (width * 24 + 31) / 32 * 4
        let dib = le32(12) + le16(width) + le16(height) + le16(1) + le16(24)
        return ascii("BM") + le32(26 + rowBytes * height) + le32(0) + le32(26) + dib
            + [UInt8](repeating: 0, count: rowBytes * height)
    }

    // MARK: WebP

    static func riffChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        ascii(type) + le32(data.count) + data + (data.count % 2 == 1 ? [0] : [])
    }

    static func webp(_ chunks: [[UInt8]], declaredExtra: Int = 0) -> [UInt8] {
        let body = ascii("WEBP") + chunks.flatMap { $0 }
        return ascii("RIFF") + le32(body.count + declaredExtra) + body
    }

    static func vp8(width: Int, height: Int) -> [UInt8] {
        riffChunk("VP8 ", [0x50, 0x01, 0x00, 0x9D, 0x01, 0x2A] + le16(width) + le16(height) + [0, 0, 0, 0])
    }

    static func vp8l(width: Int, height: Int) -> [UInt8] {
        let bits = (width - 1) | (height - 1) << 14
        return riffChunk("VP8L", [0x2F] + le32(bits) + [0, 0, 0])
    }

    static func vp8x(width: Int, height: Int, flags: UInt8 = 0x08) -> [UInt8] {
        let w = width - 1, h = height - 1
        return riffChunk("VP8X", [flags, 0, 0, 0] + Array(le32(w).prefix(3)) + Array(le32(h).prefix(3)))
    }

    // MARK: TIFF

    /// A TIFF whose IFD0 sits after the pixel bytes (one 40-byte strip at offset 8), at the end,
    /// as many writers put it. Entries: ImageWidth, ImageLength, StripOffsets, StripByteCounts.
    static func tiff(littleEndian: Bool, width: Int, height: Int, widthType: Int = 3) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { littleEndian ? le16(v) : be16(v) }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? le32(v) : be32(v) }
        let pixels = [UInt8](repeating: 0x55, count: 40)
        let ifdOffset = 8 + pixels.count
        func entry(_ tag: Int, _ type: Int, _ value: Int) -> [UInt8] {
            // SHORT values sit left-justified in the 4-byte field.
            u16(tag) + u16(type) + u32(1) + (type == 3 ? u16(value) + [0, 0] : u32(value))
        }
        let entries = entry(256, widthType, width) + entry(257, 4, height) + entry(273, 4, 8) + entry(279, 4, pixels.count)
        return (littleEndian ? ascii("II") + [0x2A, 0] : ascii("MM") + [0, 0x2A]) + u32(ifdOffset) + pixels
            + u16(4) + entries + u32(0)
    }

    // MARK: ISO-BMFF

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        be32(payload.count + 8) + ascii(type) + payload
    }

    static func fullBox(_ type: String, version: UInt8 = 0, flags: Int = 0, _ payload: [UInt8]) -> [UInt8] {
        box(type, [version, UInt8(flags >> 16 & 0xFF), UInt8(flags >> 8 & 0xFF), UInt8(flags & 0xFF)] + payload)
    }

    static func ftyp(major: String, compatible: [String]) -> [UInt8] {
        box("ftyp", ascii(major) + [0, 0, 0, 0] + compatible.flatMap(ascii))
    }

    static func ispe(width: Int, height: Int) -> [UInt8] {
        fullBox("ispe", be32(width) + be32(height))
    }

    /// A HEIC with a thumbnail (item 2, 8000×6000 to tell it apart) and a primary image
    /// (item 1, `width`×`height`); the primary's ispe is property 3, the other's property 1.
    static func heif(brand: String = "heic", width: Int = 640, height: Int = 480, withPrimary: Bool = true,
                     mdat: [UInt8] = box("mdat", [1, 2, 3, 4])) -> [UInt8] {
        let ipco = box("ipco", ispe(width: 8000, height: 6000) + box("hvcC", [1, 2, 3]) + ispe(width: width, height: height))
        // Version 0, 1-byte associations: item 1 → properties 2 (essential) and 3; item 2 → 1.
        let ipma = fullBox("ipma", be32(2) + be16(1) + [2, 0x82, 0x03] + be16(2) + [1, 0x01])
        var meta = fullBox("hdlr", be32(0) + ascii("pict") + [UInt8](repeating: 0, count: 13))
        if withPrimary { meta += fullBox("pitm", be16(1)) }
        meta += box("iprp", ipco + ipma)
        return ftyp(major: brand, compatible: ["mif1", brand]) + fullBox("meta", meta) + mdat
    }
}

/// Runs the probe as the uploader does: sniff the head, then feed the pieces between `splits`.
func inspect(_ bytes: [UInt8], splits: [Int] = []) throws -> ImageInfo? {
    guard let format = bytes.withUnsafeBytes({
        ImageFormat.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(ImageFormat.signatureLength)))
    }) else { return nil }
    let inspector = ImageInspector(format: format)
    bytes.withUnsafeBytes { all in
        var start = 0
        for end in splits + [all.count] where end >= start {
            inspector.consume(UnsafeRawBufferPointer(rebasing: all[start ..< min(end, all.count)]))
            start = min(end, all.count)
        }
    }
    return try inspector.finish(file: InMemoryBytes(bytes))
}

/// `inspect` in `size`-byte chunks.
func inspect(_ bytes: [UInt8], chunkSize size: Int) throws -> ImageInfo? {
    try inspect(bytes, splits: Array(stride(from: size, to: bytes.count, by: size)))
}

func sniff(_ bytes: [UInt8]) -> ImageFormat? {
    bytes.withUnsafeBytes { ImageFormat.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(ImageFormat.signatureLength))) }
}
