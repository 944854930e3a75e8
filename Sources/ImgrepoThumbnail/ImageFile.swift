internal import CImaging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImageProbe
import ImgrepoCore

/// An image file opened for decoding: its descriptor and CImaging's source over it, both
/// released in `deinit`.
///
/// The file is read with `pread`, never mapped (issue 23): a mapped file cut short while it is
/// read raised SIGBUS, which killed the process without a word, and mapping made a decode's
/// address space grow with the file. Here a short file is a short read, which the decoders
/// report as damage, and the decoders read through buffers of their own size.
///
/// With an `ExpectedContent`, every byte the decoders read is fed to its hasher once, in order
/// (CImaging's source reads what they skip); `verify` feeds what they never reached and compares.
final class ImageFile: RandomAccessBytes {
    let size: Int
    private let fd: Int32
    /// CImaging's `imgrepo_source *`.
    let source: OpaquePointer
    private let digest: Digest?
    private let path: String

    /// The hasher the C side feeds, kept alive by the file.
    private final class Digest {
        let expected: ExpectedContent
        let hasher: any ContentHasher
        init(_ expected: ExpectedContent) {
            self.expected = expected
            hasher = expected.makeHasher()
        }
    }

    /// - Throws: `fileNotFound` when `path` does not exist, `io` for any other failure to open
    ///   or stat it, or when it is not a regular file.
    init(path: String, expecting: ExpectedContent? = nil) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw ImgrepoError.fileNotFound(path: path) }
            throw ImgrepoError.io(path: path, reason: "cannot open: \(String(cString: strerror(code)))")
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw ImgrepoError.io(path: path, reason: "cannot stat: \(String(cString: strerror(code)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw ImgrepoError.io(path: path, reason: "not a regular file")
        }
        let digest = expecting.map(Digest.init)
        let feed: imgrepo_digest_fn? = digest == nil ? nil : { context, bytes, count in
            Unmanaged<Digest>.fromOpaque(context!).takeUnretainedValue().hasher.update(UnsafeRawBufferPointer(start: bytes, count: count))
        }
        let context = digest.map { Unmanaged.passUnretained($0).toOpaque() }
        guard let source = imgrepo_source_new(fd, Int64(status.st_size), feed, context) else {
            close(fd)
            throw ImgrepoError.io(path: path, reason: "out of memory")
        }
        self.fd = fd
        self.source = source
        self.digest = digest
        self.path = path
        size = Int(status.st_size)
    }

    deinit {
        imgrepo_source_free(source)
        close(fd)
    }

    func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count > 0, offset < size else { return [] }
        var out = [UInt8](repeating: 0, count: min(count, size - offset))
        let n = out.withUnsafeMutableBytes { imgrepo_source_read(source, $0.baseAddress, $0.count, Int64(offset)) }
        guard n >= 0 else { throw ImgrepoError.io(path: path, reason: "cannot read: \(String(cString: strerror(errno)))") }
        if Int(n) < out.count { out.removeLast(out.count - Int(n)) }
        return out
    }

    /// With an `ExpectedContent`, hashes what the decoders did not read and throws its
    /// `mismatch` (an `integrity` error naming `subject`) unless the whole file hashes to it.
    /// Call after decoding, whether the decode succeeded or not: a mismatch is the better
    /// explanation of a decode that failed, and a decode that succeeded on other bytes than
    /// the stored ones must not be kept. Without one, does nothing.
    func verify(subject: String) throws {
        guard let digest else { return }
        guard imgrepo_source_finish_digest(source) >= 0 else {
            throw ImgrepoError.io(path: path, reason: "cannot read: \(String(cString: strerror(errno)))")
        }
        let actual = digest.hasher.finalize()
        if actual != digest.expected.sha512 { throw digest.expected.mismatch(subject: subject, actual: actual) }
    }
}

extension ImageFile {
    /// Opens an image that is about to be decoded, after the checks every decoder needs first:
    /// the file is not empty, and the pixel count its header declares (from `ImageProbe`) is
    /// within `limit`. A header without a size passes; the decoders check again.
    ///
    /// A refusal here reads the rest of the file to check `expecting` first, so that a blob
    /// whose header was damaged is reported as the integrity failure it is.
    ///
    /// - Throws: as `init(path:expecting:)` and `verify`; `undecodable` naming `subject` for an
    ///   empty file ("png decoder: empty file") or a header over the limit.
    convenience init(imageAt path: String, subject: String, format: ImageFormat, limit: PixelLimit,
                     expecting: ExpectedContent?) throws {
        try self.init(path: path, expecting: expecting)
        guard size > 0 else {
            try verify(subject: subject)
            throw ImgrepoError.undecodable(subject: subject, reason: "\(format.decoderName) decoder: empty file")
        }
        if let (width, height) = headerSize(format: format) {
            if limit.exceeded(width: width, height: height) {
                try verify(subject: subject)
                throw ImgrepoError.undecodable(subject: subject, reason: limit.message(width: width, height: height))
            }
            if let problem = limit.memoryProblem(width: width, height: height, fileSize: size) {
                try verify(subject: subject)
                throw ImgrepoError.undecodable(subject: subject, reason: problem)
            }
        }
    }

    /// The width and height the header declares, when the probe finds both. Reads only the
    /// start of the file: a JPEG up to its first scan (at most 1 MiB), anything else 64 KiB,
    /// then whatever the format's random-access walk asks for.
    private func headerSize(format: ImageFormat) -> (Int, Int)? {
        let inspector = ImageInspector(format: format)
        let chunk = 64 * 1024
        let most = format == .jpeg ? 1024 * 1024 : chunk
        var offset = 0
        while offset < min(size, most) {
            guard let bytes = try? read(at: offset, count: chunk), !bytes.isEmpty else { break }
            bytes.withUnsafeBytes { inspector.consume($0) }
            offset += bytes.count
            if inspector.metadataComplete { break }
        }
        // A damaged or cut structure still reports what it found; a read error reports nothing.
        guard let info = try? inspector.finish(file: self), let width = info.width, let height = info.height
        else { return nil }
        return (width, height)
    }
}
