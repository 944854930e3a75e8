/// The image formats imgrepo recognises by their leading bytes.
public enum ImageFormat: String, CaseIterable, Sendable, Codable {
    case jpeg, png, gif, webp, tiff, bmp, heic, heif, avif

    /// The IANA media type.
    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .tiff: "image/tiff"
        case .bmp: "image/bmp"
        case .heic: "image/heic"
        case .heif: "image/heif"
        case .avif: "image/avif"
        }
    }

    /// How many leading bytes `sniff` needs to decide.
    public static let signatureLength = 32

    /// The format whose signature starts `head`, or nil when none does.
    /// `head` is the file's first `signatureLength` bytes (or the whole file when shorter).
    public static func sniff(_ head: UnsafeRawBufferPointer) -> ImageFormat? {
        let b = Array(head.prefix(signatureLength))
        func starts(with prefix: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + prefix.count && Array(b[offset ..< offset + prefix.count]) == prefix
        }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(with: Array("GIF87a".utf8)) || starts(with: Array("GIF89a".utf8)) { return .gif }
        if starts(with: Array("RIFF".utf8)) && starts(with: Array("WEBP".utf8), at: 8) { return .webp }
        // Classic TIFF (42) and BigTIFF (43), in either byte order.
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A])
            || starts(with: [0x49, 0x49, 0x2B, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2B]) {
            return .tiff
        }
        if starts(with: Array("BM".utf8)) {
            // "BM" alone is too weak (any text may start with it): the DIB header size must be
            // one that a BMP writer actually produces.
            guard b.count >= 18 else { return nil }
            return BMPParser.knownHeaderSizes.contains(Int(b.le32(14))) ? .bmp : nil
        }
        if starts(with: Array("ftyp".utf8), at: 4) { return isoBrandFormat(b) }
        return nil
    }

    /// The HEIF family member named by an `ftyp` box's brands, as far as `head` holds them.
    /// avif and heic brands win over the generic mif1/msf1, whichever field carries them.
    private static func isoBrandFormat(_ head: [UInt8]) -> ImageFormat? {
        guard head.count >= 12 else { return nil }
        let boxSize = Int(head.be32(0))
        var brands = [String(decoding: head[8 ..< 12], as: UTF8.self)]
        // Compatible brands follow the minor version (offset 16) up to the box's end.
        var offset = 16
        while offset + 4 <= min(head.count, max(boxSize, 16)) {
            brands.append(String(decoding: head[offset ..< offset + 4], as: UTF8.self))
            offset += 4
        }
        for brand in brands {
            switch brand {
            case "avif", "avis": return .avif
            case "heic", "heix", "hevc", "hevx", "heim", "heis": return .heic
            default: continue
            }
        }
        if brands.contains(where: { $0 == "mif1" || $0 == "msf1" }) { return .heif }
        return nil
    }
}
