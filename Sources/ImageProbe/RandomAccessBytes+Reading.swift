extension RandomAccessBytes {
    /// Exactly `count` bytes at `offset`, or nil when the file ends first.
    func exactly(at offset: Int, count: Int) throws -> [UInt8]? {
        guard offset >= 0, offset <= size - count else { return nil }
        let bytes = try read(at: offset, count: count)
        return bytes.count == count ? bytes : nil
    }
}
