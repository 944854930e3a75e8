internal import CGD

/// Test, demo and benchmark images with known content and known EXIF, drawn with libgd.
///
/// Every function is deterministic: the same arguments give the same bytes (for one libgd
/// build). Invalid sizes or a failing C library stop the program: these are fixtures, and a
/// test cannot go on without them.
public enum Fixtures {
    /// Noise amplitude for JPEGs: about 4 MB for a 4000x3000 picture at quality 90, like a camera's.
    static let jpegNoise = 14
    /// Other formats get milder noise: lossless encoders would otherwise grow huge.
    static let otherNoise = 6

    /// A JPEG with `exif` (when given) in an APP1 segment right after SOI.
    public static func jpeg(width: Int, height: Int, quality: Int = 90, seed: UInt32 = 1, exif: FixtureExif? = nil,
                            progressive: Bool = false) -> [UInt8] {
        let picture = GDPicture(width: width, height: height, seed: seed, noise: jpegNoise)
        if progressive { gdImageInterlace(picture.image, 1) }
        let q = Int32(max(1, min(100, quality)))
        let bytes = picture.encode("jpeg") { gdImageJpegPtr($0, $1, q) }
        guard let exif else { return bytes }
        return insertingAPP1(exifHeader + exifPayload(exif), into: bytes)
    }

    /// A PNG with `exif` (when given) in an `eXIf` chunk right after IHDR.
    public static func png(width: Int, height: Int, seed: UInt32 = 1, exif: FixtureExif? = nil) -> [UInt8] {
        let picture = GDPicture(width: width, height: height, seed: seed, noise: otherNoise)
        let bytes = picture.encode("png") { gdImagePngPtr($0, $1) }
        guard let exif else { return bytes }
        // Signature (8 bytes), then IHDR: length, type, 13 bytes of data, CRC.
        precondition(bytes.count > 33 && bytes[12..<16].elementsEqual("IHDR".utf8), "libgd: png without IHDR first")
        return Array(bytes[..<33]) + pngChunk("eXIf", exifPayload(exif)) + Array(bytes[33...])
    }

    /// A GIF (libgd reduces the picture to a 256-colour palette).
    public static func gif(width: Int, height: Int, seed: UInt32 = 1) -> [UInt8] {
        GDPicture(width: width, height: height, seed: seed, noise: otherNoise).encode("gif") { gdImageGifPtr($0, $1) }
    }

    /// A lossy WebP at `quality` (0–100).
    public static func webp(width: Int, height: Int, seed: UInt32 = 1, quality: Int = 80) -> [UInt8] {
        let q = Int32(max(0, min(100, quality)))
        return GDPicture(width: width, height: height, seed: seed, noise: otherNoise).encode("webp") { gdImageWebpPtrEx($0, $1, q) }
    }

    /// An uncompressed BMP.
    public static func bmp(width: Int, height: Int, seed: UInt32 = 1) -> [UInt8] {
        GDPicture(width: width, height: height, seed: seed, noise: otherNoise).encode("bmp") { gdImageBmpPtr($0, $1, 0) }
    }

    /// A TIFF as libgd writes it.
    public static func tiff(width: Int, height: Int, seed: UInt32 = 1) -> [UInt8] {
        GDPicture(width: width, height: height, seed: seed, noise: otherNoise).encode("tiff") { gdImageTiffPtr($0, $1) }
    }

    /// A JPEG cut half-way into its scan data: it has SOI and a complete header, but no EOI.
    public static func truncatedJPEG(width: Int = 320, height: Int = 240, seed: UInt32 = 1,
                                     exif: FixtureExif? = nil) -> [UInt8] {
        let whole = jpeg(width: width, height: height, seed: seed, exif: exif)
        guard let scan = scanDataOffset(whole) else { preconditionFailure("libgd: jpeg without a scan") }
        return Array(whole[..<(scan + (whole.count - 2 - scan) / 2)])
    }

    /// A valid JPEG whose APP1 block has a correct `Exif\0\0` and TIFF header but points its
    /// first IFD past the end of the block, followed by seeded junk.
    public static func jpegWithCorruptExif(width: Int = 320, height: Int = 240, seed: UInt32 = 1) -> [UInt8] {
        var random = SeededRandom(seed: seed ^ 0x5A5A_5A5A)
        let junk = (0..<96).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x00, 0xFF, 0xFF, 0x7F] + junk
        return insertingAPP1(exifHeader + tiff, into: jpeg(width: width, height: height, seed: seed))
    }

    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// `jpeg` with an APP1 segment holding `body` inserted right after SOI.
    static func insertingAPP1(_ body: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
        precondition(jpeg.count >= 2 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a jpeg")
        let length = body.count + 2
        precondition(length <= 0xFFFF, "exif block of \(body.count) bytes does not fit in an APP1 segment")
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + body + Array(jpeg[2...])
    }

    /// The offset of the first entropy-coded byte after the first SOS segment.
    static func scanDataOffset(_ jpeg: [UInt8]) -> Int? {
        var i = 2
        while i + 4 <= jpeg.count {
            guard jpeg[i] == 0xFF else { return nil }
            let marker = jpeg[i + 1]
            let length = Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3])
            if marker == 0xDA { return i + 2 + length }
            i += 2 + length
        }
        return nil
    }

    /// A PNG chunk: length, type, data, CRC-32 of type and data.
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let crc = CRC32.checksum(typeBytes + data)
        return bigEndian32(UInt32(data.count)) + typeBytes + data + bigEndian32(crc)
    }

    private static func bigEndian32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}

/// CRC-32 as PNG (and zlib) define it: polynomial 0xEDB88320, reflected.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
