#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImageProbe
import ImgrepoCore

/// A whole file mapped read-only into memory; unmapped in `deinit`.
///
/// Decoders read the mapping directly, so a file is never copied into a buffer. The store's
/// objects are immutable: a file shrunk by someone else while mapped would raise SIGBUS, which
/// cannot happen to a store object.
final class MappedFile: RandomAccessBytes {
    let size: Int
    private let base: UnsafeRawPointer?

    /// - Throws: `fileNotFound` when `path` does not exist, `io` for any other failure to open,
    ///   stat or map it.
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw ImgrepoError.fileNotFound(path: path) }
            throw ImgrepoError.io(path: path, reason: "cannot open: \(String(cString: strerror(code)))")
        }
        // The mapping outlives the descriptor.
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw ImgrepoError.io(path: path, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw ImgrepoError.io(path: path, reason: "not a regular file")
        }
        size = Int(status.st_size)
        guard size > 0 else {
            base = nil  // mmap refuses empty files; there is nothing to map
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
              mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw ImgrepoError.io(path: path, reason: "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// Calls `body` with the file's bytes; the pointer must not escape it.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : size))
    }

    func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard let base, offset >= 0, count > 0, offset < size else { return [] }
        return Array(UnsafeRawBufferPointer(start: base + offset, count: min(count, size - offset)))
    }
}

extension MappedFile {
    /// Maps an image that is about to be decoded, after the checks every decoder needs first:
    /// the file is not empty, and the pixel count its header declares (from `ImageProbe`) is
    /// within `maxPixels`. A header without a size passes; the decoders check again.
    ///
    /// - Throws: `fileNotFound` or `io` as `init(path:)`; `undecodable` naming `subject` for an
    ///   empty file ("png decoder: empty file") or a header over the limit.
    convenience init(imageAt path: String, subject: String, format: ImageFormat, maxPixels: Int) throws {
        try self.init(path: path)
        guard size > 0 else {
            throw ImgrepoError.undecodable(subject: subject, reason: "\(format.decoderName) decoder: empty file")
        }
        if let (width, height) = headerSize(format: format),
           PixelLimit.exceeded(width: width, height: height, limit: maxPixels) {
            throw ImgrepoError.undecodable(subject: subject,
                                           reason: PixelLimit.message(width: width, height: height, limit: maxPixels))
        }
    }

    /// The width and height the header declares, when the probe finds both.
    private func headerSize(format: ImageFormat) -> (Int, Int)? {
        let inspector = ImageInspector(format: format)
        withBytes { inspector.consume($0) }
        // Reads from a mapping cannot fail; a damaged structure still reports what it found.
        guard let info = try? inspector.finish(file: self), let width = info.width, let height = info.height
        else { return nil }
        return (width, height)
    }
}
