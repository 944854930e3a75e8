internal import CZlibLoader

/// Inflates the zlib streams (RFC 1950) of PNG's zTXt and compressed iTXt chunks, never past a
/// caller's cap and never at a ratio only a zip bomb reaches.
///
/// The output grows 64 KiB at a time as zlib produces it, so a hostile stream costs at most
/// `limit` bytes (or much less, when the ratio check stops it first) and never an allocation
/// sized from anything the file declares.
enum ZlibInflate {
    enum Failure: Error, Equatable {
        /// The inflated bytes would pass the cap.
        case tooLarge(limit: Int)
        /// Past `ratioSlack` bytes, the output outgrew `maximumRatio` times the input consumed.
        case ratio
        /// The stream ends before its final block and checksum.
        case truncated
        /// zlib refused the stream; its own message when it gave one.
        case corrupt(String)
        /// A PNG compression method other than 0 (zlib deflate), the only one defined.
        case unknownMethod(UInt8)
        /// libz cannot be loaded; what to install.
        case unavailable(String)
    }

    /// zlib, loaded on first use (CZlibLoader): only PNGs with compressed text need it.
    static let library = LoadedLibrary(soname: "libz.so.1") { imgrepo_zlib_load($0) }

    /// Real text (hex digits, XML) deflates to a ratio of 2–20; a run of one byte reaches ~1000.
    static let maximumRatio = 100
    /// Output below this size is never refused for its ratio: a short, very regular profile
    /// (zero-filled tags) may compress hard and is still cheap.
    static let ratioSlack = 1024 * 1024
    private static let step = 64 * 1024

    /// The inflated bytes of `input`, which must be one complete zlib stream (bytes after its
    /// end are ignored, as libpng does).
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) -> Result<[UInt8], Failure> {
        guard let zlib = library.functions else { return .failure(.unavailable(library.problem ?? "libz cannot be loaded")) }
        let stream = Stream(zlib)
        guard stream.status == Z_OK else { return .failure(.corrupt(stream.message ?? "inflateInit failed")) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: step)
        return input.withUnsafeBufferPointer { source in
            // zlib's next_in is not const-qualified but inflate never writes through it.
            stream.pointer.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointer.pointee.avail_in = UInt32(source.count)
            while true {
                let (code, produced) = buffer.withUnsafeMutableBufferPointer { out in
                    stream.pointer.pointee.next_out = out.baseAddress
                    stream.pointer.pointee.avail_out = UInt32(out.count)
                    let code = zlib.inflate(stream.pointer, Z_NO_FLUSH)
                    return (code, out.count - Int(stream.pointer.pointee.avail_out))
                }
                switch code {
                case Z_OK, Z_STREAM_END:
                    guard output.count + produced <= limit else { return .failure(.tooLarge(limit: limit)) }
                    output.append(contentsOf: buffer[..<produced])
                    if code == Z_STREAM_END { return .success(output) }
                    let consumed = source.count - Int(stream.pointer.pointee.avail_in)
                    if output.count > ratioSlack, output.count > consumed * maximumRatio { return .failure(.ratio) }
                case Z_BUF_ERROR:
                    // With a whole empty output buffer offered, no progress means no more input:
                    // the stream stops before its end.
                    return .failure(.truncated)
                case Z_NEED_DICT:
                    return .failure(.corrupt("needs a preset dictionary"))
                default:
                    return .failure(.corrupt(stream.message ?? "error \(code)"))
                }
            }
        }
    }

    /// Owns one z_stream: zlib keeps a pointer back to it, so it lives at a fixed address
    /// until `inflateEnd`.
    private final class Stream {
        let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        let status: Int32
        private let zlib: imgrepo_zlib

        init(_ zlib: imgrepo_zlib) {
            self.zlib = zlib
            let stream = pointer
            stream.initialize(to: z_stream())
            status = withUnsafePointer(to: zlib) { imgrepo_zlib_inflate_init($0, stream) }
        }

        var message: String? { pointer.pointee.msg.map { String(cString: $0) } }

        deinit {
            if status == Z_OK { _ = zlib.inflateEnd(pointer) }
            pointer.deinitialize(count: 1)
            pointer.deallocate()
        }
    }
}

extension ZlibInflate.Failure {
    /// The end of a warning: "<what> <this>".
    var description: String {
        switch self {
        case .tooLarge(let limit): "inflates to more than \(ProbeLimits.describe(bytes: limit)); ignored"
        case .ratio: "inflates more than \(ZlibInflate.maximumRatio) times its compressed size (a zip bomb?); ignored"
        case .truncated: "has truncated compressed data; ignored"
        case .corrupt(let message): "has corrupt compressed data (zlib: \(message)); ignored"
        case .unknownMethod(let method): "uses compression method \(method), not zlib deflate; ignored"
        case .unavailable(let problem): "has compressed data that cannot be read (\(problem)); ignored"
        }
    }
}
