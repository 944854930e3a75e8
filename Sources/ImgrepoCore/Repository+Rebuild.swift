import ImageProbe
#if canImport(Glibc)
import Glibc
#endif

/// What `Repository.rebuildCatalogue` did with one blob.
public enum RebuildEvent: Sendable {
    /// A blob no row referenced, now catalogued under `id`. `restored` when it came back
    /// from `quarantine/`.
    case catalogued(id: Int64, sha512: String, name: String, restored: Bool)
    /// A blob that could not be catalogued (its bytes do not hash to its name, it is not an
    /// image, it cannot be read). It is left where it is.
    case failed(subject: String, error: ImgrepoError)
}

/// What a rebuild looked at.
public struct RebuildSummary: Sendable, Equatable {
    /// Blobs found under `objects/` (and restored from `quarantine/`).
    public var blobs = 0
    /// Blobs that already had their row.
    public var alreadyCatalogued = 0
    /// Blobs catalogued by this run, and how many of them came back from `quarantine/`.
    public var catalogued = 0
    public var restored = 0
    public var failed = 0
    /// Whether this run wrote a new `config` (the old one was lost).
    public var wroteConfig = false

    public init() {}
}

extension Repository {
    /// Catalogues again every stored blob that no row references: the way back from a lost,
    /// emptied or damaged catalogue (or a lost `config`).
    ///
    /// Contract:
    /// - When `root` has no `config` but is a repository folder (only imgrepo's own names), a
    ///   new one is written naming `database` (default `sqlite:catalog.sqlite`); its catalogue
    ///   is created when missing, even though blobs are stored (the one place that may).
    /// - Blobs under `quarantine/*/ab/…` (where `verify --repair` moves orphans) that are not in
    ///   `objects/` are moved back first.
    /// - Each blob without a row is re-read and re-hashed: one whose bytes do not hash to its
    ///   name is reported (`failed`, an `integrity` error) and left alone. The others get a row
    ///   with what the file says (format, dimensions, EXIF, XMP), the name `<first 16 hex digits
    ///   of the SHA-512>.<format>` (original names live only in the catalogue), `owner`, and the
    ///   blob's modification time as the upload time. Damaged files are catalogued with a
    ///   warning: they were stored on purpose (`--allow-damaged`).
    /// - Rows are committed in batches under the shared lock, as uploads are; a kill loses at
    ///   most the batch in flight, and running it again carries on. A blob with a row is never
    ///   touched, so a rebuild is safe to run on a sound repository (it finds nothing to do).
    /// - `report` is called once per catalogued or failed blob, in name order.
    /// - Throws: `repositoryUnavailable` for a folder that is not a repository, the catalogue
    ///   driver's errors, and `repositoryNotWritable`/`io` for a failed write.
    public static func rebuildCatalogue(at root: String, database: String?, owner: String, services: RepositoryServices,
                                        report: (RebuildEvent) -> Void) throws -> RebuildSummary {
        var summary = RebuildSummary()
        if !exists(at: root) {
            guard POSIX.isDirectory(root) else {
                throw ImgrepoError.repositoryUnavailable(path: root, reason: POSIX.exists(root) ? "exists and is not a folder" : "no such folder")
            }
            summary.wroteConfig = try initialize(at: root, database: database ?? "sqlite:catalog.sqlite",
                                                 services: services, adoptingStoredImages: true)
        }
        let repository = try open(at: root, databaseOverride: database, services: services, creatingCatalogue: true)
        let restored = try repository.restoreQuarantine()
        var pending: [NewImage] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            // Under the lock, only blobs still in place: a `verify --repair` may have moved one
            // to quarantine since it was read, and a row must never point to a missing blob.
            let (images, outcomes) = try repository.lock.shared {
                let present = pending.filter { repository.objects.contains($0.sha512) }
                return (present, try repository.store.insert(contentsOf: present))
            }
            summary.blobs -= pending.count - images.count
            for (image, outcome) in zip(images, outcomes) {
                // A concurrent upload of the same bytes may have catalogued it meanwhile.
                guard case .stored(let id) = outcome else { summary.alreadyCatalogued += 1; continue }
                summary.catalogued += 1
                report(.catalogued(id: id, sha512: image.sha512, name: image.originalName,
                                   restored: restored.contains(image.sha512)))
            }
            pending.removeAll(keepingCapacity: true)
        }
        try repository.objects.forEachBlob { sha512, path in
            summary.blobs += 1
            if try repository.store.contains(sha512: sha512) {
                summary.alreadyCatalogued += 1
                return true
            }
            do {
                pending.append(try repository.recataloguedImage(sha512: sha512, path: path, owner: owner))
            } catch let error as ImgrepoError {
                summary.failed += 1
                report(.failed(subject: "objects/" + sha512.prefix(2) + "/" + sha512.dropFirst(2), error: error))
            }
            if pending.count >= 256 { try flush() }
            return true
        }
        try flush()
        summary.restored = restored.count
        return summary
    }

    /// The row a rebuild gives the blob at `path`, read, inspected and re-hashed in one pass.
    func recataloguedImage(sha512: String, path: String, owner: String) throws -> NewImage {
        let fd = POSIX.open(path, O_RDONLY)
        guard fd >= 0 else { throw ImgrepoError.io(path: path, reason: POSIX.errorText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ImgrepoError.io(path: path, reason: POSIX.errorText()) }
        let analysis = try Self.analyze(descriptor: fd, displayName: path,
                                        options: UploadOptions(owner: owner, allowDamaged: true), services: services, copyTo: nil)
        guard analysis.sha512 == sha512 else {
            throw ImgrepoError.integrity(subject: path, reason: "bytes hash to \(analysis.sha512.prefix(16))…, not to their name")
        }
        let uploaded = Timestamp(microseconds: Int64(st.st_mtim.tv_sec) * 1_000_000 + Int64(st.st_mtim.tv_nsec) / 1000)
        var image = NewImage(sha512: sha512, originalName: "\(sha512.prefix(16)).\(analysis.format.rawValue)", originalPath: nil,
                             owner: owner, uploadedAt: uploaded, byteSize: analysis.byteSize, format: analysis.format,
                             width: analysis.info.width, height: analysis.info.height, exif: analysis.exif)
        image.warnings = analysis.warnings
        return image
    }

    /// Moves every blob under `quarantine/*/` that `objects/` lacks back into place, newest
    /// quarantine folder first; empty folders left behind are removed. Returns the SHA-512s
    /// moved back.
    func restoreQuarantine() throws -> Set<String> {
        var restored = Set<String>()
        let quarantine = root + "/quarantine"
        for run in POSIX.entries(of: quarantine).reversed() {
            let runFolder = quarantine + "/" + run
            let runObjects = ObjectStore(root: runFolder, temporaryRoot: objects.temporaryRoot)
            try runObjects.forEachBlob { sha512, path in
                guard !objects.contains(sha512) else { return true }
                try Repository.moveDurably(path, to: objects.path(for: sha512))
                restored.insert(sha512)
                return true
            }
            for shard in POSIX.entries(of: runFolder) { rmdir(runFolder + "/" + shard) }
            rmdir(runFolder)
        }
        rmdir(quarantine)
        return restored
    }
}
