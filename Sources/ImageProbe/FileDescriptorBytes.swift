#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `RandomAccessBytes` over an open file descriptor, read with `pread`. Does not own the descriptor.
public final class FileDescriptorBytes: RandomAccessBytes {
    public let fd: Int32
    public let size: Int

    public init(fd: Int32, size: Int) {
        self.fd = fd
        self.size = size
    }

    public struct ReadError: Error, CustomStringConvertible {
        public let errno: Int32
        public var description: String { String(cString: strerror(errno)) }
    }

    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        let n = max(0, min(count, size - offset))
        guard n > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: n)
        var done = 0
        while done < n {
            let r = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, n - done, off_t(offset + done)) }
            if r < 0 {
                if errno == EINTR { continue }
                throw ReadError(errno: errno)
            }
            if r == 0 { break }
            done += r
        }
        if done < n { out.removeLast(n - done) }
        return out
    }
}
