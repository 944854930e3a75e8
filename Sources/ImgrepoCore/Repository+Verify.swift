import ImageProbe
#if canImport(Glibc)
import Glibc
#endif

/// What `Repository.verify` checks and what it may change.
public struct VerifyOptions: Sendable {
    /// Compare each blob's size with its catalogued size instead of re-hashing it.
    public var quick: Bool
    /// Re-hash only this share of the blobs (0–100), chosen at random; the others get the size
    /// check. Nil re-hashes every blob. Ignored when `quick` is set.
    public var samplePercent: Double?
    /// Remove what is garbage: orphan blobs (moved to `quarantine/`, not unlinked) and stale
    /// temp files. Never a blob a row refers to.
    public var repair: Bool
    /// With `repair`, also delete the catalogue rows whose blob is missing or corrupt (and the
    /// corrupt blob with its row).
    public var dropMissing: Bool
    /// A temp file untouched for this many seconds is stale even when its writer still runs.
    public var staleTemporaryAge: Int64
    /// With `repair`, act even when more than `suspiciousPercent` of the blobs are orphans (or,
    /// with `dropMissing`, of the rows lack their blob): by default that many is taken for a
    /// lost or wrong catalogue (or `objects/`), and nothing of that kind is repaired.
    public var force: Bool

    /// Above this share of orphans (or of rows without their blob) `repair` holds back unless
    /// `force` is set. A crash leaves at most a window of uploads or one delete behind; a lost,
    /// emptied or wrong catalogue makes every blob an orphan.
    public static let suspiciousPercent = 10

    public init(quick: Bool = false, samplePercent: Double? = nil, repair: Bool = false, dropMissing: Bool = false,
                staleTemporaryAge: Int64 = 600, force: Bool = false) {
        self.quick = quick; self.samplePercent = samplePercent; self.repair = repair
        self.dropMissing = dropMissing; self.staleTemporaryAge = staleTemporaryAge; self.force = force
    }
}

/// One problem `verify` found, reported once.
public struct VerifyFinding: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        /// A catalogue row whose blob is not in `objects/` (subject: the SHA-512).
        case missingBlob = "missing_blob"
        /// A blob whose bytes no longer hash to its name (subject: the SHA-512).
        case corruptBlob = "corrupt_blob"
        /// A blob whose size differs from the catalogued size (subject: the SHA-512). Always
        /// corrupt; reported instead of `corruptBlob`, without re-hashing.
        case sizeMismatch = "size_mismatch"
        /// A file under `objects/` that no row references, or whose name is not a blob name
        /// (subject: the SHA-512, or the path inside the repository for a malformed name).
        case orphanBlob = "orphan_blob"
        /// A temp file whose writer is gone or which has not been touched for a while
        /// (subject: the path inside the repository).
        case staleTemp = "stale_temp"
        /// A file in the thumbnail cache whose image is no longer catalogued, or whose name
        /// the cache did not write (subject: the path inside the repository).
        case orphanThumbnail = "orphan_thumbnail"
        /// A cached thumbnail that is not a well-formed image of its format and box (subject:
        /// the path inside the repository). Serving it would hand out garbage.
        case corruptThumbnail = "corrupt_thumbnail"
        /// A problem the catalogue's own check reported, or a catalogue read that failed
        /// (subject: `catalogue`).
        case database
    }

    public var kind: Kind
    /// The SHA-512, the path inside the repository (`objects/ab/…`, `tmp/…`), or `catalogue`.
    public var subject: String
    /// One lower-case line saying what is wrong, naming the image id where there is one.
    public var detail: String
    /// Whether `--repair` fixed it.
    public var repaired: Bool

    public init(kind: Kind, subject: String, detail: String, repaired: Bool = false) {
        self.kind = kind; self.subject = subject; self.detail = detail; self.repaired = repaired
    }
}

/// What a verification looked at and what it found.
public struct VerifySummary: Hashable, Sendable {
    /// Catalogue rows checked.
    public var images = 0
    /// Blobs re-hashed, and their bytes.
    public var blobsHashed = 0
    public var bytesHashed: Int64 = 0
    /// Entries found under `objects/` (blobs and anything else).
    public var objectFiles = 0
    /// Entries found in `tmp/`, stale or not.
    public var temporaryFiles = 0
    /// Files found in the thumbnail cache.
    public var thumbnailFiles = 0
    /// Findings reported, and how many of them were repaired.
    public var problems = 0
    public var repaired = 0
    /// Orphan blobs, and blob-named files under `objects/`.
    public var orphanBlobs = 0
    public var blobFiles = 0
    /// Rows whose blob is missing, of `images`.
    public var rowsWithoutBlob = 0
    /// Repairs held back because they would have touched more than `VerifyOptions.suspiciousPercent`
    /// of the blobs or rows (`force` not set): true for orphans, for rows.
    public var withheldOrphans = false
    public var withheldRows = false
    /// Where this run moved the orphans it removed (`quarantine/…`, inside the repository), if any.
    public var quarantine: String?

    public init() {}

    /// True when nothing was found, or everything found was repaired.
    public var isClean: Bool { problems == repaired }
}

extension Repository {
    /// Checks the repository the way `git fsck` checks a repository: every catalogue row has
    /// its blob, every blob hashes to its name (or has its catalogued size, with `quick`),
    /// nothing under `objects/` lacks a row, nothing in `tmp/` is left over, and the catalogue
    /// passes its own consistency check.
    ///
    /// Contract:
    /// - Keeps going after a problem; `report` is called exactly once per problem, in the order
    ///   catalogue, rows (by id), `objects/` (by name), `thumbnails/` (by name), `tmp/` (by name).
    /// - Cached thumbnails are a cache: one whose image is gone, whose name the cache did not
    ///   write, or whose contents are not a well-formed image of its format fitting its box is
    ///   a problem, and `repair` removes it (it is made again on demand).
    /// - Without `options.repair` nothing is changed.
    /// - Every removal happens under the repository lock held exclusively, after the problem
    ///   is confirmed again under that lock: a blob an upload is about to catalogue, or a row a
    ///   delete is removing, is not a problem and is not reported.
    /// - A blob a row refers to is never removed, except a corrupt one together with its row
    ///   (`dropMissing`). When the catalogue fails its own check, nothing that depends on it is
    ///   repaired (orphans, rows): a damaged index could hide the row that references a blob.
    /// - Orphans are not unlinked: they are moved to `quarantine/<time>/ab/cdef…` (the layout of
    ///   `objects/`), where `rebuild-catalog` still finds them.
    /// - When more than `VerifyOptions.suspiciousPercent` of the blobs are orphans, the catalogue
    ///   is taken to be lost or the wrong one: no orphan is moved, and no row is dropped, unless
    ///   `force` is set. Likewise no row is dropped when more than that share of the rows lack
    ///   their blob (`objects/` lost or the wrong one). The findings say so, and the summary's
    ///   `withheldOrphans` / `withheldRows` are set.
    /// - `progress(done, total)` is called after each catalogue row.
    /// - A catalogue that fails its check or a read is a `database` finding, not an error: the
    ///   checks that do not need it (`tmp/`, malformed names under `objects/`) still run. A
    ///   catalogue that cannot even be opened fails earlier, in `Repository.open`.
    public func verify(_ options: VerifyOptions, progress: (Int, Int) -> Void = { _, _ in },
                       report: (VerifyFinding) -> Void) -> VerifySummary {
        // The closures live only as long as this call; `Verification` merely holds them.
        withoutActuallyEscaping(report) { report in
            withoutActuallyEscaping(progress) { progress in
                let run = Verification(repository: self, options: options, report: report, progress: progress)
                defer { run.buffer.deallocate() }
                // Each check stands alone and keeps going after a problem.
                run.checkCatalogue()
                run.takeCensus()
                run.checkRows()
                run.checkObjects()
                run.checkThumbnails()
                run.checkTemporaryFiles()
                return run.summary
            }
        }
    }
}

private extension StringProtocol {
    func replacingColons() -> String { String(map { $0 == ":" ? "-" : $0 }) }
}

/// The state of one `verify` call.
private final class Verification {
    let repository: Repository
    let options: VerifyOptions
    let report: (VerifyFinding) -> Void
    let progress: (Int, Int) -> Void
    var summary = VerifySummary()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Repository.chunkSize, alignment: 64)
    /// False once the catalogue failed its own check: its answers cannot justify removing anything.
    var catalogueSound = true
    /// False once a catalogue read failed: orphans cannot be told from referenced blobs.
    var catalogueReadable = true
    var generator = SystemRandomNumberGenerator()

    init(repository: Repository, options: VerifyOptions, report: @escaping (VerifyFinding) -> Void,
         progress: @escaping (Int, Int) -> Void) {
        self.repository = repository; self.options = options; self.report = report; self.progress = progress
    }

    var objects: ObjectStore { repository.objects }
    var store: any MetadataStore { repository.store }
    var repairsCatalogueDependents: Bool { options.repair && catalogueSound && catalogueReadable }
    /// The entries of `objects/` that no row references (`sha512` nil: not a blob name), in name
    /// order, from the census before the rows are checked.
    var orphanEntries: [(path: String, sha512: String?)] = []
    /// The folder this run moves orphans into; made on first use.
    lazy var quarantineFolder: String = {
        // `2026-12-08T03-24-14Z-4242`: sorts by time, and no two runs share one.
        let time = Timestamp.now().iso8601.prefix(19).replacingColons()
        return "\(repository.root)/quarantine/\(time)Z-\(getpid())"
    }()
    /// Rows seen by the census (`countRowsWithoutBlob`).
    var censusRows = 0

    func found(_ finding: VerifyFinding) {
        summary.problems += 1
        if finding.repaired { summary.repaired += 1 }
        report(finding)
    }

    /// A catalogue read that failed: reported once, and what depends on the catalogue stops.
    func catalogueFailed(_ error: Error, doing what: String = "cannot read the catalogue") {
        guard catalogueReadable else { return }
        catalogueReadable = false
        found(VerifyFinding(kind: .database, subject: "catalogue", detail: "\(what): \(error)"))
    }

    // MARK: Catalogue

    func checkCatalogue() {
        do {
            let problems = try store.integrityProblems()
            if !problems.isEmpty { catalogueSound = false }
            for line in problems {
                found(VerifyFinding(kind: .database, subject: "catalogue", detail: "integrity check: \(line)"))
            }
        } catch {
            // SQLite stops the check with SQLITE_CORRUPT on a damaged b-tree page rather than
            // listing it: reading anything more would meet the same damage.
            catalogueSound = false
            catalogueFailed(error, doing: "integrity check cannot run")
        }
    }

    // MARK: Rows

    /// Pages through the rows by id rather than holding one statement open for the whole walk:
    /// hashing a large store takes long, and a long read transaction would stall the WAL.
    func checkRows() {
        let total: Int
        do { total = try store.count() } catch {
            catalogueFailed(error)
            return
        }
        let pageSize = 500
        var after: Int64?
        var done = 0
        while catalogueReadable {
            let page: [ImageRecord]
            do {
                page = try store.images(matching: ImageQuery(sort: [SortOrder(.id)], limit: pageSize, after: after))
            } catch {
                catalogueFailed(error)
                return
            }
            for record in page {
                check(record)
                done += 1
                summary.images += 1
                progress(done, max(total, done))
            }
            guard page.count == pageSize, let last = page.last else { return }
            after = last.id
        }
    }

    enum BlobState: Equatable {
        case sound
        case missing(String)
        case sizeMismatch(Int64)
        case corrupt(String)
    }

    func check(_ record: ImageRecord) {
        let state = blobState(record)
        guard state != .sound else { return }
        let label = "image \(record.id) (\(record.originalName))"
        let kind: VerifyFinding.Kind
        var detail: String
        switch state {
        case .sound: return
        case .missing(let why): kind = .missingBlob; detail = "\(label): \(why)"
        case .sizeMismatch(let size): kind = .sizeMismatch; detail = "\(label): blob is \(size) bytes, the catalogue says \(record.byteSize)"
        case .corrupt(let why): kind = .corruptBlob; detail = "\(label): \(why)"
        }
        var repaired = false
        do {
            let confirmed: Bool = try repository.lock.exclusive {
                // A delete removes the row, then the blob: a blob seen missing before the lock
                // may belong to a row deleted meanwhile, which is no problem at all.
                guard let current = try store.image(id: record.id), current.sha512 == record.sha512 else { return false }
                if kind == .missingBlob, case .sound = blobState(record, hashing: false) { return false }
                guard repairsCatalogueDependents, options.dropMissing, !summary.withheldRows else { return true }
                _ = try store.delete(id: record.id)
                // Rows are one per SHA-512, so no other row refers to this blob.
                if kind != .missingBlob, isRegularFile(objects.path(for: record.sha512)) {
                    try objects.remove(record.sha512)
                }
                repaired = true
                return true
            }
            guard confirmed else { return }
            if repaired {
                detail += kind == .missingBlob ? "; row deleted" : "; row and blob deleted"
            } else if options.repair, options.dropMissing, !repairsCatalogueDependents {
                detail += "; not repaired: the catalogue is damaged"
            } else if options.repair, options.dropMissing, summary.withheldRows {
                detail += "; not repaired: \(share(summary.rowsWithoutBlob, of: censusRows, "rows")) lack their blob, "
                    + "more than --drop-missing deletes without --force"
            }
        } catch {
            detail += "; not repaired: \(error)"
        }
        found(VerifyFinding(kind: kind, subject: record.sha512, detail: detail, repaired: repaired))
    }

    /// The state of a row's blob; re-hashed when the options say so (or `hashing` is false: size only).
    func blobState(_ record: ImageRecord, hashing: Bool = true) -> BlobState {
        let path = objects.path(for: record.sha512)
        var st = stat()
        guard stat(path, &st) == 0 else {
            return .missing(errno == ENOENT ? "blob \(relative(path)) is missing" : "cannot stat blob \(relative(path)): \(POSIX.errorText())")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .missing("\(relative(path)) is not a regular file") }
        if Int64(st.st_size) != record.byteSize { return .sizeMismatch(Int64(st.st_size)) }
        guard hashing, shouldHash() else { return .sound }
        return hash(record.sha512, path: path)
    }

    func shouldHash() -> Bool {
        if options.quick { return false }
        guard let percent = options.samplePercent else { return true }
        if percent >= 100 { return true }
        return Double.random(in: 0..<100, using: &generator) < percent
    }

    /// Re-hashes the blob in `Repository.chunkSize` reads: memory stays flat whatever its size.
    func hash(_ sha512: String, path: String) -> BlobState {
        let fd = POSIX.open(path, O_RDONLY)
        guard fd >= 0 else { return .corrupt("cannot open blob \(relative(path)): \(POSIX.errorText())") }
        defer { close(fd) }
        let hasher = repository.services.makeHasher()
        while true {
            let n = POSIX.read(fd, buffer.baseAddress!, buffer.count)
            if n < 0 { return .corrupt("cannot read blob \(relative(path)): \(POSIX.errorText())") }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            summary.bytesHashed += Int64(n)
        }
        summary.blobsHashed += 1
        let actual = hasher.finalize()
        return actual == sha512 ? .sound : .corrupt("bytes hash to \(actual.prefix(16))…, not to their name")
    }

    // MARK: Objects

    /// Before anything is repaired: which entries of `objects/` are orphans, and, with
    /// `dropMissing`, how many rows lack their blob. A share above `suspiciousPercent` holds the
    /// matching repairs back (see `verify`'s contract).
    func takeCensus() {
        for top in entries(of: objects.root) {
            let path = objects.root + "/" + top
            // objects/.tmp holds temp files when objects/ is a file system of its own: checked with tmp/.
            if top == Repository.areaTemporaryName, isDirectory(path) { continue }
            if top.utf8.count == 2, ObjectStore.isLowerHex(top), isDirectory(path) {
                for name in entries(of: path) {
                    summary.objectFiles += 1
                    let isBlobName = name.utf8.count == 126 && ObjectStore.isLowerHex(name)
                    if isBlobName {
                        summary.blobFiles += 1
                        guard catalogueReadable else { continue }
                        do {
                            if try store.contains(sha512: top + name) { continue }
                        } catch {
                            catalogueFailed(error)
                            continue
                        }
                        summary.orphanBlobs += 1
                    }
                    orphanEntries.append((path + "/" + name, isBlobName ? top + name : nil))
                }
            } else {
                summary.objectFiles += 1
                orphanEntries.append((path, nil))
            }
        }
        guard options.repair, !options.force else { return }
        summary.withheldOrphans = isSuspicious(summary.orphanBlobs, of: summary.blobFiles)
        if options.dropMissing, catalogueReadable { summary.withheldRows = isSuspicious(countRowsWithoutBlob(), of: censusRows) }
    }

    func isSuspicious(_ part: Int, of whole: Int) -> Bool { part * 100 > whole * VerifyOptions.suspiciousPercent }

    /// `12 of 40 rows (30%)`.
    func share(_ part: Int, of whole: Int, _ noun: String) -> String {
        "\(part) of \(whole) \(noun) (\(whole == 0 ? 100 : part * 100 / whole)%)"
    }

    /// How many rows have no regular file as their blob (a stat each, no hashing).
    func countRowsWithoutBlob() -> Int {
        var missing = 0, seen = 0
        var after: Int64?
        while true {
            let page: [ImageRecord]
            do { page = try store.images(matching: ImageQuery(sort: [SortOrder(.id)], limit: 500, after: after)) } catch {
                catalogueFailed(error)
                return 0
            }
            for record in page where !isRegularFile(objects.path(for: record.sha512)) { missing += 1 }
            seen += page.count
            guard page.count == 500, let last = page.last else { break }
            after = last.id
        }
        summary.rowsWithoutBlob = missing
        censusRows = seen
        return missing
    }

    func checkObjects() {
        for entry in orphanEntries { checkObjectEntry(entry.path, sha512: entry.sha512) }
    }

    /// `sha512` is nil for a name that is not a blob name: an orphan whatever the catalogue says.
    func checkObjectEntry(_ path: String, sha512: String?) {
        if let sha512 {
            guard catalogueReadable else { return }
            do {
                if try store.contains(sha512: sha512) { return }
            } catch {
                catalogueFailed(error)
                return
            }
        }
        let folder = isDirectory(path)
        var detail = sha512 == nil ? (folder ? "a folder, not a blob" : "not a blob name") : "no catalogue row references it"
        var repaired = false
        do {
            let confirmed: Bool = try repository.lock.exclusive {
                // An upload links its blob, then inserts its row, all under the shared lock: a
                // blob without a row seen outside the lock may be an upload half-way. Under the
                // exclusive lock no upload is half-way.
                guard POSIX.exists(path) || isSymbolicLink(path) else { return false }
                if let sha512, try store.contains(sha512: sha512) { return false }
                guard repairsCatalogueDependents || (sha512 == nil && options.repair) else { return true }
                guard !folder, sha512 == nil || !summary.withheldOrphans else { return true }
                try quarantine(path)
                repaired = true
                return true
            }
            guard confirmed else { return }
            if repaired {
                detail += "; moved to \(relative(quarantineFolder))/"
            } else if options.repair {
                detail += folder ? "; not repaired: remove it by hand"
                    : summary.withheldOrphans && repairsCatalogueDependents
                    ? "; not repaired: \(share(summary.orphanBlobs, of: summary.blobFiles, "blobs")) have no row, "
                        + "more than --repair moves without --force (a lost or wrong catalogue?)"
                    : "; not repaired: the catalogue is damaged"
            }
        } catch {
            if case ImgrepoError.databaseUnavailable = error { catalogueFailed(error); return }
            detail += "; not repaired: \(error)"
        }
        found(VerifyFinding(kind: .orphanBlob, subject: sha512 ?? relative(path), detail: detail, repaired: repaired))
    }

    /// Moves an entry of `objects/` to the same place under this run's quarantine folder, and
    /// makes the move durable in both folders. A rename, so the bytes are never copied or lost.
    func quarantine(_ path: String) throws {
        let inside = String(path.dropFirst(objects.root.count + 1))
        try Repository.moveDurably(path, to: quarantineFolder + "/" + inside)
        summary.quarantine = relative(quarantineFolder)
    }

    // MARK: Thumbnails

    func checkThumbnails() {
        let cache = repository.thumbnailCache
        for entry in cache.allEntries() where entry.shard != Repository.areaTemporaryName {
            summary.thumbnailFiles += 1
            let key = ThumbnailCache.Key(shard: entry.shard, fileName: entry.name)
            var kind = VerifyFinding.Kind.orphanThumbnail
            var detail: String
            if let key {
                guard catalogueReadable else { continue }
                do {
                    if try store.contains(sha512: key.sha512) {
                        kind = .corruptThumbnail
                        guard let problem = thumbnailProblem(entry.path, key) else { continue }
                        detail = problem
                    } else {
                        detail = "no catalogue row has its image"
                    }
                } catch {
                    catalogueFailed(error)
                    continue
                }
            } else {
                detail = isDirectory(entry.path) ? "a folder, not a cached thumbnail" : "not a thumbnail name"
            }
            var repaired = false
            if options.repair, kind == .corruptThumbnail || repairsCatalogueDependents || key == nil {
                do {
                    let confirmed: Bool = try repository.lock.exclusive {
                        // A thumbnail is cached under the shared lock once its row exists: under
                        // the exclusive lock none is half-way.
                        guard POSIX.exists(entry.path) else { return false }
                        if kind == .orphanThumbnail, let key, try store.contains(sha512: key.sha512) { return false }
                        guard !isDirectory(entry.path) else { return true }
                        if unlink(entry.path) != 0, errno != ENOENT { throw ImgrepoError.io(path: entry.path, reason: POSIX.errorText()) }
                        repaired = true
                        return true
                    }
                    guard confirmed else { continue }
                    detail += repaired ? "; removed" : "; not repaired: remove it by hand"
                } catch {
                    detail += "; not repaired: \(error)"
                }
            } else if options.repair {
                detail += "; not repaired: the catalogue is damaged"
            }
            found(VerifyFinding(kind: kind, subject: relative(entry.path), detail: detail, repaired: repaired))
        }
    }

    /// What is wrong with a cached thumbnail's contents, or nil when it is a well-formed image
    /// of its key's format that fits its key's box.
    func thumbnailProblem(_ path: String, _ key: ThumbnailCache.Key) -> String? {
        guard let info = ThumbnailCache.inspect(path: path) else { return "not a well-formed image" }
        let expected: ImageFormat = switch key.format {
        case .jpeg: .jpeg
        case .png: .png
        case .webp: .webp
        }
        if info.format != expected { return "holds \(info.format.rawValue), not \(expected.rawValue)" }
        if info.width > key.width || info.height > key.height {
            return "is \(info.width)×\(info.height), larger than its \(key.width)×\(key.height) box"
        }
        return nil
    }

    // MARK: Temp files

    /// Anything in `tmp/` is garbage once its writer is gone; a running upload's temp file is
    /// not. Writers name their files `upload-<pid>-…` or `write-<pid>-…`: a file whose pid no
    /// longer runs is stale at once, any other file when untouched for `staleTemporaryAge`.
    /// A pid reused by another process only delays the verdict until the file is old.
    func checkTemporaryFiles() {
        let now = Int64(time(nil))
        // tmp/, and the temp folders of areas on a file system of their own.
        let folders = [repository.root + "/tmp"] + [objects.root, repository.thumbnailCache.root].map { $0 + "/" + Repository.areaTemporaryName }
        for root in folders {
            for name in entries(of: root) { checkTemporaryFile(root + "/" + name, name: name, now: now) }
        }
    }

    func checkTemporaryFile(_ path: String, name: String, now: Int64) {
        summary.temporaryFiles += 1
        let pid = writerPID(name)
        if pid == getpid() { return } // our own, should verify ever write one
        var st = stat()
        guard lstat(path, &st) == 0 else { return } // gone meanwhile: its writer finished
        let age = now - Int64(st.st_mtim.tv_sec)
        var detail: String
        if let pid, !isRunning(pid) {
            detail = "left by process \(pid), which is no longer running"
        } else if age >= options.staleTemporaryAge {
            detail = "untouched for \(duration(age))"
        } else {
            return
        }
        var repaired = false
        if options.repair {
            do {
                try repository.lock.exclusive {
                    let removed = (st.st_mode & S_IFMT) == S_IFDIR ? rmdir(path) : unlink(path)
                    if removed != 0, errno != ENOENT { throw ImgrepoError.io(path: path, reason: POSIX.errorText()) }
                }
                repaired = true
                detail += "; removed"
            } catch {
                detail += "; not repaired: \(error)"
            }
        }
        found(VerifyFinding(kind: .staleTemp, subject: relative(path), detail: detail, repaired: repaired))
    }

    func writerPID(_ name: String) -> pid_t? {
        let parts = name.split(separator: "-", maxSplits: 2)
        guard parts.count == 3, parts[0] == "upload" || parts[0] == "write" else { return nil }
        return pid_t(parts[1]).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Signal 0 checks that the process exists; EPERM means it exists under another user.
    func isRunning(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    func duration(_ seconds: Int64) -> String {
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        if seconds < 172_800 { return "\(seconds / 3600) h" }
        return "\(seconds / 86400) days"
    }

    // MARK: Files

    /// The path inside the repository, as findings name it.
    func relative(_ path: String) -> String {
        let prefix = repository.root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The names in a folder, sorted; empty when it cannot be read (a missing `tmp/` is no problem).
    func entries(of folder: String) -> [String] { POSIX.entries(of: folder) }

    func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    func isSymbolicLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

}
