/// `RandomAccessBytes` over bytes already in memory: for small files, tests, and callers that
/// hold the whole file anyway.
public final class InMemoryBytes: RandomAccessBytes {
    public let bytes: [UInt8]
    public var size: Int { bytes.count }

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count > 0, offset < bytes.count else { return [] }
        return Array(bytes[offset ..< offset + min(count, bytes.count - offset)])
    }
}
