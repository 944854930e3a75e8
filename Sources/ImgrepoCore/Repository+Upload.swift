import ImageProbe
#if canImport(Glibc)
import Glibc
#endif

/// What to record about an upload besides its bytes.
public struct UploadOptions: Sendable {
    public var owner: String
    /// Store files whose structure is damaged (e.g. a truncated JPEG) instead of refusing them.
    public var allowDamaged: Bool
    /// Thumbnails to make at import time (`upload --thumbnails 256,1024`), rendered on the
    /// worker threads from the freshly written temp file and cached once the row exists.
    public var thumbnails: [ThumbnailSpec]
    /// The pixel limit for those thumbnails and for fingerprinting.
    public var maxPixels: Int
    /// Fingerprints to compute at import time, on the worker threads from the temp file. A
    /// file that cannot be fingerprinted is stored all the same, with a warning.
    public var fingerprints: FingerprintKinds
    /// `--dedup pixels`: a file whose pixels are already catalogued under other bytes is
    /// recorded as another name of that image, not stored (implies the pixel hash).
    public var deduplicatePixels: Bool

    public init(owner: String, allowDamaged: Bool = false, thumbnails: [ThumbnailSpec] = [], maxPixels: Int = defaultMaxPixels,
                fingerprints: FingerprintKinds = [], deduplicatePixels: Bool = false) {
        self.owner = owner; self.allowDamaged = allowDamaged; self.thumbnails = thumbnails; self.maxPixels = maxPixels
        self.fingerprints = deduplicatePixels ? fingerprints.union(.pixelHash) : fingerprints
        self.deduplicatePixels = deduplicatePixels
    }
}

/// The outcome of one successful upload.
public struct UploadResult: Sendable {
    public var outcome: InsertOutcome
    public var sha512: String
    public var name: String
    public var byteSize: Int64
    public var format: ImageFormat
    public var width: Int?
    public var height: Int?
    public var exifStatus: ExifStatus
    /// Problems that did not stop the upload (damage allowed by `allowDamaged`, EXIF warnings,
    /// a thumbnail that could not be made).
    public var warnings: [String]
    /// Thumbnails made for it by this upload (`UploadOptions.thumbnails` not already cached).
    public var thumbnailsMade = 0
}

extension Repository {
    /// Opens an input file for reading. Throws `fileNotFound`, or `unreadableInput` for
    /// permissions, folders and anything else that is not a regular file.
    static func openInput(_ path: String) throws -> Int32 {
        let fd = POSIX.openRegularFile(path)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw ImgrepoError.fileNotFound(path: path)
            default: throw ImgrepoError.unreadableInput(path: path, reason: POSIX.errorText())
            }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = POSIX.errorText()
            close(fd)
            throw ImgrepoError.unreadableInput(path: path, reason: reason)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ImgrepoError.unreadableInput(path: path, reason: "is a folder; give the image files inside it")
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            throw ImgrepoError.unreadableInput(path: path, reason: "not a regular file (\(POSIX.fileTypeName(st.st_mode))); use '-' to read standard input")
        }
        return POSIX.blocking(fd)
    }

    /// The size of each read: large enough that syscalls cost nothing next to hashing,
    /// small enough that memory stays flat whatever the file's size.
    static let chunkSize = 1 << 20

    /// Uploads the file at `path` under `name` (default: its file name): a batch of one
    /// (`upload(batch:)`), so that it reads, checks, stores and catalogues the file exactly as
    /// a batch does, and leaves the repository as it was on any error.
    /// - Throws: `fileNotFound`, `unreadableInput` (a folder, permissions), `notAnImage`
    ///   (empty or unrecognised), `damagedImage`, `repositoryNotWritable`, `io`, and the
    ///   catalogue's errors.
    public func upload(path: String, name: String? = nil, options: UploadOptions,
                       cache: (any IngestCache)? = nil) throws -> UploadResult {
        try upload(one: BatchFile(path: path, name: name), options: options, cache: cache)
    }

    /// A batch of one file: its result, or its error.
    private func upload(one file: BatchFile, options: UploadOptions, cache: (any IngestCache)?) throws -> UploadResult {
        switch try upload(batch: [file], options: options, cache: cache, consultCache: true, workers: 1)[0] {
        case .success(let result)?: return result
        case .failure(let error)?: throw error
        case nil: preconditionFailure("a batch that is never asked to stop leaves no file unstarted")
        }
    }

    /// What recording `name` for the image with this hash means, found by reads alone: the
    /// result, and the row to insert when the name is new (nil when it is already recorded, as
    /// on every rerun). nil when the image or its blob is gone. The caller holds the shared lock.
    func knownImage(sha512: String, name: String, originalPath: String,
                    options: UploadOptions) throws -> (result: UploadResult, newName: NewImage?)? {
        guard let record = try store.images(sha512Prefix: sha512, limit: 1).first, record.sha512 == sha512,
              objects.contains(sha512) else { return nil }
        let result = UploadResult(outcome: .duplicate(id: record.id), sha512: sha512, name: name, byteSize: record.byteSize,
                                  format: record.format, width: record.width, height: record.height,
                                  exifStatus: record.exifStatus, warnings: [])
        if try store.knownNames(imageID: record.id).contains(where: { $0.name == name && $0.path == originalPath }) {
            return (result, nil)
        }
        let image = NewImage(sha512: sha512, originalName: name, originalPath: originalPath, owner: options.owner,
                             uploadedAt: .now(), byteSize: record.byteSize, format: record.format, width: record.width,
                             height: record.height, exif: ExifData(status: record.exifStatus, summary: record.exif))
        return (result, image)
    }

    /// Uploads the bytes readable from `descriptor` (e.g. standard input) until its end: a
    /// batch of one stream (`BatchFile(stream:)`), so that it is checked, stored, catalogued,
    /// thumbnailed and fingerprinted exactly as a file is. No original path is recorded.
    /// - Parameter displayName: how errors name the input (`-` for stdin).
    public func upload(descriptor fd: Int32, displayName: String, name: String, options: UploadOptions) throws -> UploadResult {
        try upload(one: BatchFile(stream: fd, displayName: displayName, name: name), options: options, cache: nil)
    }

    /// What an upload of the file at `path` would do, without writing anything: `.stored` with
    /// id 0 when its bytes are new, `.duplicate(id)` when they are catalogued. Reads and hashes
    /// the whole file, so damage and EXIF problems are found as an upload would find them.
    public func dryRun(path: String, name: String? = nil, options: UploadOptions) throws -> UploadResult {
        try Self.dryRun(path: path, name: name, options: options, store: store, services: services)
    }

    /// A dry run against `store`, or against no catalogue at all (a repository not created
    /// yet, where every image would be new).
    public static func dryRun(path: String, name: String? = nil, options: UploadOptions, store: (any MetadataStore)?,
                              services: RepositoryServices) throws -> UploadResult {
        // Standard input is analysed as it streams; formats that need random access then fail
        // on a pipe, which only a dry run of '-' can meet.
        let fd = path == "-" ? 0 : try openInput(path)
        defer { if fd != 0 { close(fd) } }
        let analysis = try analyze(descriptor: fd, displayName: path, options: options, services: services, copyTo: nil)
        let existing = try store?.images(sha512Prefix: analysis.sha512, limit: 1).first
        return UploadResult(outcome: existing.map { .duplicate(id: $0.id) } ?? .stored(id: 0), sha512: analysis.sha512,
                            name: name ?? (path == "-" ? "stdin" : POSIX.basename(of: path)), byteSize: analysis.byteSize, format: analysis.format,
                            width: analysis.info.width, height: analysis.info.height, exifStatus: analysis.exif.status,
                            warnings: analysis.warnings)
    }

    /// The result of reading an input once: its hash, its format and what its headers say.
    struct Analysis: Sendable {
        var sha512: String
        var byteSize: Int64
        var format: ImageFormat
        var info: ImageInfo
        var exif: ExifData
        var warnings: [String]
    }

    /// Reads `fd` to its end in one pass: hashes it, inspects it and, when `copyTo` gives a
    /// sink, copies it there. `copyTo` is called only after the first bytes are recognised as
    /// an image, so nothing is created for a non-image.
    /// - Throws: `notAnImage`, `damagedImage` (unless allowed), `io`, and `copyTo`'s errors.
    static func analyze(descriptor fd: Int32, displayName: String, options: UploadOptions, services: RepositoryServices,
                        copyTo: (() throws -> (fd: Int32, path: String))?) throws -> Analysis {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 64)
        defer { buffer.deallocate() }

        // Enough leading bytes to recognise the format, before anything is written.
        var filled = 0
        while filled < ImageFormat.signatureLength {
            let n = POSIX.read(fd, buffer.baseAddress! + filled, Self.chunkSize - filled)
            if n < 0 { throw ImgrepoError.io(path: displayName, reason: "cannot read: \(POSIX.errorText())") }
            if n == 0 { break }
            filled += n
        }
        if filled == 0 { throw ImgrepoError.notAnImage(path: displayName, reason: "empty file") }
        guard let format = ImageFormat.sniff(UnsafeRawBufferPointer(rebasing: buffer[0..<min(filled, ImageFormat.signatureLength)])) else {
            throw ImgrepoError.notAnImage(path: displayName, reason: "no known signature")
        }
        let sink = try copyTo?()

        let hasher = services.makeHasher()
        let inspector = ImageInspector(format: format)
        var total: Int64 = 0
        while filled > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            hasher.update(chunk)
            inspector.consume(chunk)
            if let sink, let e = POSIX.writeAll(sink.fd, chunk) {
                throw e == ENOSPC || e == EDQUOT
                    ? ImgrepoError.io(path: sink.path, reason: "cannot store \(displayName): \(POSIX.errorText(e))")
                    : Repository.creationError(sink.path, e)
            }
            total += Int64(filled)
            filled = POSIX.read(fd, buffer.baseAddress!, Self.chunkSize)
            if filled < 0 { throw ImgrepoError.io(path: displayName, reason: "cannot read: \(POSIX.errorText())") }
        }

        // Formats whose headers may lie anywhere are read back at random: from the copy, or
        // from the input itself on a dry run (which therefore needs a file, not a pipe).
        let info: ImageInfo
        do { info = try inspector.finish(file: FileDescriptorBytes(fd: sink?.fd ?? fd, size: Int(total))) } catch {
            throw ImgrepoError.io(path: sink?.path ?? displayName, reason: "cannot read back: \(error)")
        }
        var warnings = info.warnings
        if let damage = info.damage {
            guard options.allowDamaged else {
                throw ImgrepoError.damagedImage(path: displayName, reason: damage + "; --allow-damaged stores it anyway")
            }
            warnings.append("damaged: \(damage)")
        }
        var exif = info.exif.map { services.exifDecoder.decode(tiff: $0) } ?? .absent
        warnings += exif.warnings.map { "exif: \($0)" }
        // XMP is read when the decoder can (`MetadataDecoders`); a broken packet is a warning.
        var xmp: XMPData?
        if let packet = info.xmp, let decoder = services.exifDecoder as? any XMPDecoding {
            xmp = decoder.decode(xmp: packet)
            warnings += xmp?.warnings.map { "xmp: \($0)" } ?? []
        }
        exif.summary.merge(xmp: xmp?.summary)
        // The packet's properties are kept with the EXIF tags, each under its namespace group.
        exif.tags += xmp?.tags ?? []
        exif.summary.merge(pictureInfo: info.pictureInfo)
        exif.summary.merge(canonCIFF: info.canonCIFF)
        return Analysis(sha512: hasher.finalize(), byteSize: total, format: format, info: info, exif: exif, warnings: warnings)
    }

    /// Undoes a blob this upload created when no catalogue row references it (the row could
    /// not be committed, or the file's pixels were already catalogued under `--dedup pixels`),
    /// so the repository holds what the catalogue says. It takes the lock exclusively and only
    /// removes a blob no row references: a concurrent upload of the same bytes may have found
    /// it "already stored" and catalogued it meanwhile. When the catalogue cannot even be
    /// asked, the blob stays as an orphan that `verify` explains.
    func removeUnreferencedBlob(_ sha512: String) {
        // Called inside the shared lock: flock converts it to exclusive on the same descriptor
        // (not atomically, so two converting processes cannot deadlock), and the unlock that
        // follows releases both.
        _ = try? lock.exclusive {
            if let referenced = try? store.contains(sha512: sha512), !referenced {
                try? objects.remove(sha512)
            }
        }
    }
}
