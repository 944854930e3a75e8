/// The layout PNG's three text chunks share after their keyword and its NUL (PNG 1.2, 11.3.4):
/// tEXt is the text; zTXt a compression method byte, then the compressed text; iTXt a
/// compression flag and method, a language tag and a translated keyword (each NUL-ended), then
/// the text, compressed when the flag is 1.
enum PNGText {
    /// The text after the keyword (`afterKeyword`) and its compression method (nil when the text
    /// is plain), or nil when the chunk ends inside its fields.
    static func body(chunkType: UInt32, _ afterKeyword: ArraySlice<UInt8>) -> (text: ArraySlice<UInt8>, method: UInt8?)? {
        var text = afterKeyword
        switch chunkType {
        case UInt32(fourCC: "zTXt"):
            guard let method = text.first else { return nil }
            return (text.dropFirst(), method)
        case UInt32(fourCC: "iTXt"):
            guard text.count >= 2 else { return nil }
            let compressed = text[text.startIndex] != 0
            let method = text[text.startIndex + 1]
            text = text.dropFirst(2)
            for _ in 0 ..< 2 {
                guard let nul = text.firstIndex(of: 0) else { return nil }
                text = text[(nul + 1)...]
            }
            return (text, compressed ? method : nil)
        default:
            return (text, nil)
        }
    }

    /// Compressed text inflated within `limit`. Method 0 (zlib deflate) is the only one PNG defines.
    static func inflate(_ text: ArraySlice<UInt8>, method: UInt8, limit: Int) -> Result<[UInt8], ZlibInflate.Failure> {
        guard method == 0 else { return .failure(.unknownMethod(method)) }
        return ZlibInflate.inflate(text, limit: limit)
    }
}
