import CZlib

extension Fixtures {
    /// `data` as one zlib stream (RFC 1950) at zlib's best compression, as ImageMagick writes
    /// PNG's zTXt and compressed iTXt chunks.
    public static func zlib(_ data: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let code = out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(i.count), Z_BEST_COMPRESSION) }
        }
        precondition(code == Z_OK, "zlib compress2: \(code)")
        return Array(out.prefix(Int(size)))
    }
}
