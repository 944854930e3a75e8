import ImageProbe
#if canImport(Glibc)
import Glibc
#endif

/// What to record about an upload besides its bytes.
public struct UploadOptions: Sendable {
    public var owner: String
    /// Store files whose structure is damaged (e.g. a truncated JPEG) instead of refusing them.
    public var allowDamaged: Bool

    public init(owner: String, allowDamaged: Bool = false) {
        self.owner = owner; self.allowDamaged = allowDamaged
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
    /// Problems that did not stop the upload (damage allowed by `allowDamaged`, EXIF warnings).
    public var warnings: [String]
}

extension Repository {
    /// The size of each read: large enough that syscalls cost nothing next to hashing,
    /// small enough that memory stays flat whatever the file's size.
    static let chunkSize = 1 << 20

    /// Uploads the file at `path` under `name` (default: its file name).
    ///
    /// Reads the file once, as a stream: hashes it, inspects its headers and copies it into
    /// `tmp/`; then, if it is an acceptable image, gives the blob its name and records the
    /// catalogue row (docs/repository-format.md). On any error the repository is as it was.
    /// - Throws: `fileNotFound`, `unreadableInput` (a folder, permissions), `notAnImage`
    ///   (empty or unrecognised), `damagedImage`, `repositoryNotWritable`, `io`, and the
    ///   catalogue's errors.
    public func upload(path: String, name: String? = nil, options: UploadOptions) throws -> UploadResult {
        let fd = POSIX.open(path, O_RDONLY)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw ImgrepoError.fileNotFound(path: path)
            default: throw ImgrepoError.unreadableInput(path: path, reason: POSIX.errorText())
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ImgrepoError.unreadableInput(path: path, reason: POSIX.errorText()) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw ImgrepoError.unreadableInput(path: path, reason: "is a folder; give the image files inside it")
        }
        let fileName = name ?? POSIX.basename(of: path)
        return try upload(descriptor: fd, displayName: path, name: fileName, originalPath: POSIX.absolute(path), options: options)
    }

    /// Uploads the bytes readable from `descriptor` (e.g. standard input) until its end.
    /// - Parameters:
    ///   - displayName: how errors name the input (`-` for stdin).
    ///   - originalPath: recorded with the name; nil for a stream.
    public func upload(descriptor fd: Int32, displayName: String, name: String, originalPath: String?,
                       options: UploadOptions) throws -> UploadResult {
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

        let tempPath = "\(objects.temporaryRoot)/upload-\(getpid())-\(POSIX.randomHex())"
        let tempFD = POSIX.open(tempPath, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard tempFD >= 0 else {
            if !POSIX.isDirectory(objects.temporaryRoot) {
                throw ImgrepoError.repositoryUnavailable(path: root, reason: "tmp folder is missing")
            }
            throw Repository.creationError(tempPath, errno)
        }
        var tempLinked = false
        defer {
            close(tempFD)
            if !tempLinked { unlink(tempPath) }
        }

        let hasher = services.makeHasher()
        let inspector = ImageInspector(format: format)
        var total: Int64 = 0
        while filled > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            hasher.update(chunk)
            inspector.consume(chunk)
            if let e = POSIX.writeAll(tempFD, chunk) {
                throw e == ENOSPC || e == EDQUOT
                    ? ImgrepoError.io(path: root, reason: "cannot store \(displayName): \(POSIX.errorText(e))")
                    : Repository.creationError(tempPath, e)
            }
            total += Int64(filled)
            filled = POSIX.read(fd, buffer.baseAddress!, Self.chunkSize)
            if filled < 0 { throw ImgrepoError.io(path: displayName, reason: "cannot read: \(POSIX.errorText())") }
        }

        let info: ImageInfo
        do { info = try inspector.finish(file: FileDescriptorBytes(fd: tempFD, size: Int(total))) } catch {
            throw ImgrepoError.io(path: tempPath, reason: "cannot read back: \(error)")
        }
        var warnings = info.warnings
        if let damage = info.damage {
            guard options.allowDamaged else {
                throw ImgrepoError.damagedImage(path: displayName, reason: damage + "; --allow-damaged stores it anyway")
            }
            warnings.append("damaged: \(damage)")
        }
        let exif = info.exif.map { services.exifDecoder.decode(tiff: $0) } ?? .absent
        warnings += exif.warnings.map { "exif: \($0)" }

        guard fsync(tempFD) == 0 else { throw ImgrepoError.io(path: tempPath, reason: "cannot sync: \(POSIX.errorText())") }
        fchmod(tempFD, 0o444)
        let sha512 = hasher.finalize()
        let image = NewImage(sha512: sha512, originalName: name, originalPath: originalPath, owner: options.owner,
                             uploadedAt: .now(), byteSize: total, format: format, width: info.width, height: info.height,
                             exif: exif)

        let outcome: InsertOutcome = try lock.shared {
            let created = try objects.adopt(temporaryPath: tempPath, as: sha512)
            tempLinked = true // adopt unlinks the temp file itself, whatever happens
            do {
                return try store.insert(image)
            } catch {
                if created { removeOrphanAfterFailedInsert(sha512) }
                throw error
            }
        }
        return UploadResult(outcome: outcome, sha512: sha512, name: name, byteSize: total, format: format,
                            width: info.width, height: info.height, exifStatus: exif.status, warnings: warnings)
    }

    /// Undoes a blob this upload created when its catalogue row could not be committed, so a
    /// failed upload leaves the repository as it was. It takes the lock exclusively and only
    /// removes a blob no row references: a concurrent upload of the same bytes may have found
    /// it "already stored" and catalogued it meanwhile. When the catalogue cannot even be
    /// asked, the blob stays as an orphan that `verify` explains.
    private func removeOrphanAfterFailedInsert(_ sha512: String) {
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
