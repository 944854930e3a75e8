/// The legacy way of keeping EXIF in a PNG, from before the eXIf chunk (ImageMagick, older
/// exiftool): a text chunk with the keyword `Raw profile type exif` (or `Raw profile type APP1`
/// holding an `Exif\0\0` block) whose text is a newline, the profile name, a newline, the byte
/// count right-aligned in 8 columns, a newline, and the bytes as hex, 72 digits a line.
///
/// tEXt and iTXt are read, and zTXt: compressed text (what ImageMagick writes) is inflated
/// (`ZlibInflate`) up to `ProbeLimits.rawProfileTextBytes`; a stream that is damaged, too large
/// or a zip bomb yields a warning naming the chunk, and no EXIF.
enum PNGRawProfile {
    static let exifKeyword = Array("Raw profile type exif".utf8)
    static let app1Keyword = Array("Raw profile type APP1".utf8)
    /// Enough leading bytes to tell a raw-profile keyword (and its NUL) from any other.
    static let longestKeyword = exifKeyword.count + 1

    /// The raw-profile keyword `data` starts with, NUL included, or nil.
    static func keyword<C: RandomAccessCollection>(_ data: C) -> [UInt8]? where C.Element == UInt8 {
        for keyword in [exifKeyword, app1Keyword] {
            let prefix = data.prefix(keyword.count + 1)
            if prefix.count == keyword.count + 1, prefix.elementsEqual(keyword + [0]) { return keyword }
        }
        return nil
    }

    /// The EXIF payload (from its TIFF header) of a text chunk, a warning when it holds a raw
    /// EXIF profile that cannot be read, (nil, nil) when it is some other text.
    static func exif(chunkType: UInt32, _ data: ArraySlice<UInt8>) -> (exif: [UInt8]?, warning: String?) {
        guard let keyword = keyword(data) else { return (nil, nil) }
        let name = String(decoding: keyword, as: UTF8.self)
        let chunk = "'\(name)' \(chunkType.fourCCString) chunk"
        guard let (body, method) = PNGText.body(chunkType: chunkType, data.dropFirst(keyword.count + 1)) else {
            return (nil, "\(chunk) truncated")
        }
        var text = body
        if let method {
            switch PNGText.inflate(body, method: method, limit: ProbeLimits.rawProfileTextBytes) {
            case .success(let inflated): text = inflated[...]
            case .failure(let failure): return (nil, "\(chunk) \(failure.description)")
            }
        }
        guard let bytes = decodeHex(text) else {
            return (nil, "'\(name)' text chunk is not a valid raw profile")
        }
        if keyword == app1Keyword, !ExifPayload.hasExifPrefix(bytes) {
            return (nil, nil)  // an APP1 profile holding XMP, not EXIF
        }
        return ExifPayload.normalize(bytes)
    }

    /// The bytes of a raw profile's text, or nil when it is malformed or longer than
    /// `ProbeLimits.exifBytes`.
    static func decodeHex(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var i = text.startIndex
        func isSpace(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D || c == 0x20 || c == 0x09 }
        while i < text.endIndex, isSpace(text[i]) { i += 1 }
        // The profile name, up to the end of its line.
        while i < text.endIndex, text[i] != 0x0A { i += 1 }
        while i < text.endIndex, isSpace(text[i]) { i += 1 }
        var count = 0
        var digits = 0
        while i < text.endIndex, (0x30 ... 0x39).contains(text[i]) {
            count = count * 10 + Int(text[i] - 0x30)
            digits += 1
            guard count <= ProbeLimits.exifBytes else { return nil }
            i += 1
        }
        guard digits > 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(min(count, (text.endIndex - i) / 2))
        var high: UInt8?
        while i < text.endIndex, out.count < count {
            let c = text[i]
            i += 1
            if isSpace(c) { continue }
            let nibble: UInt8
            switch c {
            case 0x30 ... 0x39: nibble = c - 0x30
            case 0x61 ... 0x66: nibble = c - 0x61 + 10
            case 0x41 ... 0x46: nibble = c - 0x41 + 10
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return out.count == count ? out : nil
    }
}
