import ArgumentParser
import ImgrepoCore
import ImgrepoOutput
#if canImport(Glibc)
import Glibc
#endif

extension Imgrepo {
    struct Thumbnail: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "thumbnail",
            abstract: "Write right-side-up thumbnails of images, cached in the repository.",
            discussion: """
            The longest side becomes --size pixels (default 256), or the image fits in --fit \
            WxH; the aspect ratio is kept, EXIF orientation is applied, and nothing is ever \
            enlarged (a box at least the image's size gives it 1:1 in the chosen format). \
            Alpha is kept in PNG and WebP and composited on white in JPEG.

            Thumbnails are cached under the repository's thumbnails/ folder, keyed by image, \
            box, format, quality and algorithm version; a cached one is copied without \
            decoding anything. --no-cache neither reads nor writes the cache. 'imgrepo delete' \
            drops an image's thumbnails, 'imgrepo verify' checks them, and 'imgrepo thumbnail \
            --prune' empties the cache. In a repository you may read but not write, cached \
            thumbnails are served and new ones are made but not cached.

            Output: one ID without -o writes to stdout, which must not be a terminal; '-o FILE' \
            writes FILE atomically (not fsync'd: a thumbnail can be made again), through a \
            symbolic link to its target, and into a device or FIFO as it is; '-o DIR/' \
            (or an existing folder, required for several ids) writes ID-SIZE.EXT inside it (ID-WxH.EXT for --fit). --json (with -o) prints one \
            record per thumbnail: id, sha512, path, width, height, format, quality, bytes, cached.

            A file with more pixels than --max-pixels (default 128M) is refused from its \
            header, before anything is decoded; formats other than JPEG, which are decoded \
            whole, have lower limits of their own (PNG, TIFF, WebP 24M; GIF, BMP 40M; HEIC, \
            HEIF, AVIF 16M). The blob is checked against its SHA-512 as it is read: one that \
            no longer matches is refused (exit 5) and nothing is cached. Unknown ids and images \
            that cannot be decoded are reported and the others still made; the exit status is \
            the first failure's.

            Examples:
              imgrepo thumbnail 42 > thumb.jpg
              imgrepo thumbnail 1 2 3 --size 1024 --format webp -o thumbs/
              imgrepo thumbnail 42 --fit 320x200 --format png -o card.png
              imgrepo list --json --taken 2024 | jq -r '.[].id' | xargs imgrepo thumbnail -o t/
              imgrepo thumbnail --prune

            \(ExitStatus.helpTable([.success, .imageNotFound, .integrityFailure, .usage, .badInput, .unavailable, .cannotCreateOutput, .ioError, .notWritable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image ids or SHA-512 prefixes.", valueName: "id"), completion: ShellCompletion.imageIDs)
        var ids: [String] = []

        @Option(help: ArgumentHelp("Longest side in pixels (1–16384).", valueName: "n"))
        var size: Int?

        @Option(help: ArgumentHelp("Fit inside a box of W×H pixels instead of --size.", valueName: "WxH"))
        var fit: String?

        @Option(help: ArgumentHelp("Encoding: jpeg, png or webp.", valueName: "format"), completion: .list(["jpeg", "png", "webp"]))
        var format: String = "jpeg"

        @Option(help: ArgumentHelp("JPEG/WebP quality, 1–100 (default 85 for JPEG, 80 for WebP).", valueName: "q"))
        var quality: Int?

        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output file, folder (ending in /) or - for stdout.", valueName: "path"), completion: .file())
        var output: String?

        @Flag(name: .customLong("no-cache"), help: "Neither read nor write the thumbnail cache.")
        var noCache = false

        @Option(name: .customLong("max-pixels"), help: ArgumentHelp("Refuse images with more pixels than this (e.g. 128M, 50000000).", valueName: "n"))
        var maxPixels: String = "128M"

        @Flag(help: "Print one JSON record per thumbnail (needs -o).")
        var json = false

        @Flag(help: "Empty the thumbnail cache (takes no ids).")
        var prune = false

        func run() throws {
            if prune {
                guard ids.isEmpty, output == nil else {
                    throw ImgrepoError.invalidArgument(value: "--prune", reason: "takes no ids and no -o")
                }
                let repository = try global.resolve().open()
                let removed = try repository.pruneThumbnails()
                if json {
                    Console.line(JSONValue.object([("files", .int(Int64(removed.files))), ("bytes", .int(removed.bytes))]).text)
                } else {
                    Console.error("removed \(removed.files) cached thumbnail\(removed.files == 1 ? "" : "s") (\(humanSize(removed.bytes)))")
                }
                return
            }
            guard !ids.isEmpty else { throw ValidationError("give at least one image id (or --prune)") }
            let spec = try thumbnailSpec()
            let limit = try Self.pixelLimit(maxPixels)
            let toStdout = output == nil || output == "-" || OutputFile.isStandardOutput(output!)
            if toStdout {
                guard ids.count == 1 else {
                    throw ImgrepoError.invalidArgument(value: "\(ids.count) ids", reason: "several thumbnails need -o DIR/")
                }
                if json { throw ImgrepoError.invalidArgument(value: "--json", reason: "needs -o: the thumbnail itself goes to stdout otherwise") }
                if Console.stdoutIsTerminal {
                    throw ImgrepoError.invalidArgument(value: "stdout", reason: "refusing to write binary image data to a terminal; use -o FILE or redirect")
                }
            }
            let folder = try outputFolder(count: ids.count)
            let repository = try global.resolve().open()
            var firstError: ImgrepoError?
            func report(_ error: ImgrepoError) throws {
                switch error {
                case .imageNotFound, .ambiguousReference, .invalidArgument, .undecodable, .integrity:
                    Console.error(error.description)
                    if firstError == nil { firstError = error }
                default:
                    throw error
                }
            }
            // Resolve every id first, then render on every core; write in the order given.
            var records: [ImageRecord] = []
            for reference in ids {
                do { records.append(try repository.resolve(reference)) } catch let error as ImgrepoError { try report(error) }
            }
            let workers = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            let made = try repository.thumbnails(of: records, spec: spec, useCache: !noCache, maxPixels: limit, workers: workers)
            for (record, result) in zip(records, made) {
                do {
                    let thumbnail = try result.get()
                    let target = toStdout ? "-" : folder.map { $0 + Self.fileName(record.id, spec) } ?? output!
                    let bytes = try write(thumbnail, to: target)
                    if json { Console.line(Self.jsonRecord(thumbnail, path: target, bytes: bytes).text) }
                } catch let error as ImgrepoError {
                    try report(error)
                }
            }
            if let firstError { Console.flush(); throw firstError.silenced }
        }

        /// The box, encoding and quality the options ask for.
        func thumbnailSpec() throws -> ThumbnailSpec {
            guard let encoding = ThumbnailFormat(rawValue: format.lowercased()) else {
                throw ImgrepoError.invalidArgument(value: "--format \(format)", reason: "not a thumbnail format (jpeg, png, webp)")
            }
            if encoding == .png, quality != nil {
                throw ImgrepoError.invalidArgument(value: "--quality", reason: "png is lossless and takes no quality")
            }
            if let fit {
                if size != nil { throw ImgrepoError.invalidArgument(value: "--fit \(fit)", reason: "give --size or --fit, not both") }
                let parts = fit.lowercased().split(separator: "x", omittingEmptySubsequences: false)
                guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
                    throw ImgrepoError.invalidArgument(value: "--fit \(fit)", reason: "expected WIDTHxHEIGHT, e.g. 320x200")
                }
                return try ThumbnailSpec(width: w, height: h, format: encoding, quality: quality)
            }
            return try ThumbnailSpec(size: size ?? ThumbnailSpec.defaultSize, format: encoding, quality: quality)
        }

        /// `128M`, `0.5M`, `50000000` → pixels.
        static func pixelLimit(_ text: String) throws -> Int {
            let upper = text.uppercased()
            let (number, scale) = upper.hasSuffix("M") ? (String(upper.dropLast()), 1_000_000.0) : (upper, 1.0)
            guard let value = Double(number), value.isFinite, value > 0, value * scale <= 1e12 else {
                throw ImgrepoError.invalidArgument(value: "--max-pixels \(text)", reason: "expected a pixel count such as 128M or 50000000")
            }
            return Int(value * scale)
        }

        /// The folder `-o` names (with a trailing slash), or nil when it names a file or stdout.
        func outputFolder(count: Int) throws -> String? {
            guard let output, output != "-" else { return nil }
            let exists = POSIX.isDirectory(output)
            if output.hasSuffix("/") || exists {
                guard exists else { throw ImgrepoError.cannotCreateOutput(path: output, reason: "folder does not exist") }
                return output.hasSuffix("/") ? output : output + "/"
            }
            if count > 1 { throw ImgrepoError.invalidArgument(value: "-o \(output)", reason: "several thumbnails need a folder: -o DIR/") }
            return nil
        }

        static func fileName(_ id: Int64, _ spec: ThumbnailSpec) -> String {
            let box = spec.width == spec.height ? "\(spec.width)" : "\(spec.width)x\(spec.height)"
            return "\(id)-\(box).\(spec.format.fileExtension)"
        }

        /// Writes the thumbnail to `target` (`-` for stdout); returns its size in bytes.
        func write(_ thumbnail: ImgrepoCore.Thumbnail, to target: String) throws -> Int64 {
            let emit: (Int32, String) throws -> Int64 = { fd, name in
                if let bytes = thumbnail.bytes {
                    if let e = bytes.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
                        throw ImgrepoError.io(path: name, reason: "cannot write: \(String(cString: strerror(e)).lowercased())")
                    }
                    return Int64(bytes.count)
                }
                return try copyFile(thumbnail.cachePath!, to: fd, outputName: name)
            }
            if target == "-" {
                Console.flush()
                return try emit(1, "stdout")
            }
            var written: Int64 = 0
            try OutputFile.write(to: target, durable: false) { fd in written = try emit(fd, target) }
            return written
        }

        static func jsonRecord(_ t: ImgrepoCore.Thumbnail, path: String, bytes: Int64) -> JSONValue {
            var size: (Int?, Int?) = (t.width, t.height)
            if size.0 == nil, let cached = t.cachePath, let info = ThumbnailCache.inspect(path: cached) { size = (info.width, info.height) }
            return .object([
                ("id", .int(t.imageID)), ("sha512", .string(t.sha512)), ("path", .string(path)),
                ("width", size.0.map { .int(Int64($0)) } ?? .null), ("height", size.1.map { .int(Int64($0)) } ?? .null),
                ("format", .string(t.spec.format.rawValue)), ("quality", t.spec.format == .png ? .null : .int(Int64(t.spec.quality))),
                ("bytes", .int(bytes)), ("cached", .bool(t.cached)),
            ])
        }
    }
}

/// Copies a whole file to `output`; returns the bytes copied.
func copyFile(_ path: String, to output: Int32, outputName: String) throws -> Int64 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ImgrepoError.io(path: path, reason: String(cString: strerror(errno)).lowercased()) }
    defer { close(fd) }
    // Not zero-filled: a cache hit copies a few kilobytes, and filling the whole buffer faulted
    // in 16 pages for every hit.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { buffer.deallocate() }
    var total: Int64 = 0
    while true {
        let n = read(fd, buffer.baseAddress!, buffer.count)
        if n < 0 {
            if errno == EINTR { continue }
            throw ImgrepoError.io(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        if n == 0 { return total }
        if let e = POSIX.writeAll(output, UnsafeRawBufferPointer(rebasing: buffer[0..<n])) {
            throw ImgrepoError.io(path: outputName, reason: "cannot write: \(String(cString: strerror(e)).lowercased())")
        }
        total += Int64(n)
    }
}

