/// Fixed-width integers at offsets relative to the collection's start. Callers check bounds
/// first: an offset past the end traps, as an array subscript does.
extension RandomAccessCollection where Element == UInt8, Index == Int {
    func be16(_ offset: Int) -> UInt16 {
        let i = startIndex + offset
        return UInt16(self[i]) << 8 | UInt16(self[i + 1])
    }

    func be32(_ offset: Int) -> UInt32 {
        UInt32(be16(offset)) << 16 | UInt32(be16(offset + 2))
    }

    func be64(_ offset: Int) -> UInt64 {
        UInt64(be32(offset)) << 32 | UInt64(be32(offset + 4))
    }

    func le16(_ offset: Int) -> UInt16 {
        let i = startIndex + offset
        return UInt16(self[i]) | UInt16(self[i + 1]) << 8
    }

    func le24(_ offset: Int) -> UInt32 {
        UInt32(le16(offset)) | UInt32(self[startIndex + offset + 2]) << 16
    }

    func le32(_ offset: Int) -> UInt32 {
        UInt32(le16(offset)) | UInt32(le16(offset + 2)) << 16
    }

    func le64(_ offset: Int) -> UInt64 {
        UInt64(le32(offset)) | UInt64(le32(offset + 4)) << 32
    }

    /// The four bytes at `offset` as text, for chunk and box names in messages.
    func fourCC(_ offset: Int) -> String {
        let i = startIndex + offset
        return String(decoding: self[i ..< i + 4].map { (0x20 ... 0x7E).contains($0) ? $0 : UInt8(ascii: "?") },
                      as: UTF8.self)
    }
}

extension UInt32 {
    /// A four-character code as the big-endian integer containers store it.
    init(fourCC: StaticString) {
        precondition(fourCC.utf8CodeUnitCount == 4)
        let p = fourCC.utf8Start
        self = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
    }

    /// The code as text, with unprintable bytes shown as "?".
    var fourCCString: String {
        [UInt8(self >> 24), UInt8(self >> 16 & 0xFF), UInt8(self >> 8 & 0xFF), UInt8(self & 0xFF)].fourCC(0)
    }
}
