/// The CRC-32 of PNG (ISO 3309), bitwise: it only ever runs over IHDR's 17 bytes.
struct CRC32 {
    private(set) var value: UInt32 = 0

    mutating func update<C: Collection<UInt8>>(_ bytes: C) {
        var c = ~value
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0 ..< 8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        value = ~c
    }
}
