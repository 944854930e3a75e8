// PUBLIC API CONTRACT — implementation to be filled in (helper owns this target).
#if canImport(Glibc)
import Glibc
#endif

/// The image formats imgrepo recognises by their leading bytes.
public enum ImageFormat: String, CaseIterable, Sendable, Codable {
    case jpeg, png, gif, webp, tiff, bmp, heic, heif, avif

    /// The IANA media type.
    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .tiff: "image/tiff"
        case .bmp: "image/bmp"
        case .heic: "image/heic"
        case .heif: "image/heif"
        case .avif: "image/avif"
        }
    }

    /// How many leading bytes `sniff` needs to decide.
    public static let signatureLength = 32

    /// The format whose signature starts `head`, or nil when none does.
    /// `head` is the file's first `signatureLength` bytes (or the whole file when shorter).
    public static func sniff(_ head: UnsafeRawBufferPointer) -> ImageFormat? {
        fatalError("unimplemented")
    }
}

/// What the probe learned about a file from its headers, without decoding pixels.
public struct ImageInfo: Hashable, Sendable {
    public var format: ImageFormat
    public var width: Int?
    public var height: Int?
    /// The EXIF payload starting at its TIFF header (`II*\0` or `MM\0*`), when the container
    /// carries one (JPEG APP1 `Exif\0\0`, PNG `eXIf`, WebP `EXIF`). Any `Exif\0\0` prefix is stripped.
    public var exif: [UInt8]?
    /// Why the file's structure is broken (e.g. "truncated: no end-of-image marker after scan data"),
    /// or nil when it is complete.
    public var damage: String?
    /// Oddities that do not make the file damaged.
    public var warnings: [String]

    public init(format: ImageFormat, width: Int? = nil, height: Int? = nil, exif: [UInt8]? = nil,
                damage: String? = nil, warnings: [String] = []) {
        self.format = format; self.width = width; self.height = height; self.exif = exif
        self.damage = damage; self.warnings = warnings
    }
}

/// Random access to a file the inspector has already seen streamed.
public protocol RandomAccessBytes: AnyObject {
    /// The file's size in bytes.
    var size: Int { get }
    /// Up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int, count: Int) throws -> [UInt8]
}

/// Inspects an image while its bytes stream past (for hashing and copying), then answers with
/// `ImageInfo`. Memory stays bounded whatever the file's size: the inspector keeps only the
/// segments it needs (headers, the EXIF block up to 16 MiB).
public final class ImageInspector {
    public let format: ImageFormat

    /// - Parameter format: what `ImageFormat.sniff` said about the file's first bytes.
    public init(format: ImageFormat) {
        self.format = format
    }

    /// Feeds the next bytes of the file, in order, from the first byte to the last.
    public func consume(_ chunk: UnsafeRawBufferPointer) {
    }

    /// Called once after the last `consume`. `file` gives random access to the same bytes
    /// (for formats whose headers may lie anywhere, such as TIFF and HEIF).
    /// Structural problems are reported in `ImageInfo.damage`, never thrown; only `file`'s
    /// own read errors propagate.
    public func finish(file: RandomAccessBytes) throws -> ImageInfo {
        ImageInfo(format: format)
    }
}

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
