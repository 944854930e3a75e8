#if canImport(Glibc)
import Glibc
#endif

/// What `Repository.migrateCatalogue(to:)` copied and checked.
public struct CatalogueMigration: Sendable {
    /// The catalogue copied from and the one now in the repository's config (URLs, no password).
    public var source: String
    public var target: String
    public var images: Int
    public var names: Int
    public var tags: Int
    /// Images an earlier, interrupted migration had already copied (resumed after them).
    public var alreadyCopied = 0
}

extension Repository {
    /// How many images one copy transaction carries.
    static let migrationPageSize = 500

    /// Copies this repository's catalogue into the empty catalogue at `url` (another driver's,
    /// typically: SQLite to MySQL or back), checks the copy, and records `url` in the
    /// repository's `config`, so that later commands use it.
    ///
    /// A target that already holds the first images of this catalogue, exactly as they are
    /// (a migration killed part-way: each page is one transaction), is resumed after the last
    /// one copied rather than refused.
    ///
    /// Writers are excluded for the whole copy (the exclusive lock), and one that opened the
    /// source before the switch finds `config` changed when it next takes the lock and stops
    /// without writing (`RepositoryLock`'s check): nothing is committed into the old catalogue
    /// once the copy has begun.
    ///
    /// Ids, names, owners, times and EXIF tags are kept, and so is the highest id ever given
    /// (`MetadataStore.reserveIDs`): the ids of deleted images are not given again. Runs under
    /// the exclusive lock, so no import, delete or repair changes the source meanwhile. The copy
    /// is checked twice: each image is read back from the target and compared with the source,
    /// whole (record, names, tags); then the row counts, the sets of SHA-512s and the highest
    /// ids given are compared. The old catalogue is left as it was (a SQLite file stays in the
    /// folder); `config` is only rewritten, atomically, once the check passed.
    ///
    /// - Throws: `invalidArgument` when `url` is the current catalogue or names a catalogue
    ///   holding images that are not the start of a copy of this one; `repositoryNotWritable` when config cannot be rewritten (checked before
    ///   anything is copied); `integrity` when the check finds a difference (the config then still
    ///   names the source); the drivers' `databaseUnavailable`.
    public func migrateCatalogue(to url: String) throws -> CatalogueMigration {
        let source = catalogueURL
        guard url != source else {
            throw ImgrepoError.invalidArgument(value: url, reason: "is already this repository's catalogue")
        }
        // The switch rewrites config (a temp file in tmp/, linked into the root): a repository
        // this process cannot write is refused before anything is copied into the target.
        for folder in [root + "/tmp", root] where access(folder, W_OK) != 0 {
            throw Repository.creationError(folder, errno)
        }
        let target = try services.openCatalogue(url, root, true)
        return try lock.exclusive {
            var migration = CatalogueMigration(source: source, target: url, images: 0, names: 0, tags: 0)
            var after = try Self.copiedPrefix(of: store, in: target, url: url)
            migration.alreadyCopied = after == nil ? 0 : try target.count()
            while true {
                let page = try Self.page(of: store, after: after)
                guard let last = page.last else { break }
                try target.copyIn(page)
                migration.images += page.count
                migration.names += page.reduce(0) { $0 + $1.names.count }
                migration.tags += page.reduce(0) { $0 + $1.tags.count }
                after = last.record.id
            }
            // Ids of images deleted before the migration (the largest among them above all)
            // must not be given again by the target.
            try target.reserveIDs(through: try store.highestAssignedID())
            try Self.checkCopy(from: store, to: target, url: url)
            try recordCatalogue(url)
            return migration
        }
    }

    /// The id of the last image a killed migration copied into `target` (nil: it is empty), after
    /// checking that what it holds is exactly the source's first images, whole.
    static func copiedPrefix(of source: any MetadataStore, in target: any MetadataStore, url: String) throws -> Int64? {
        var after: Int64?
        while true {
            let copied = try page(of: target, after: after)
            guard let last = copied.last else { return after }
            let expected = try page(of: source, after: after)
            guard expected.count >= copied.count, Array(expected.prefix(copied.count)) == copied else {
                let count = try target.count()
                throw ImgrepoError.invalidArgument(value: url, reason: "the target catalogue holds \(count) images that are not the start of "
                    + "a copy of this one; migrate-catalog copies only into an empty catalogue, or resumes its own copy")
            }
            if copied.count < migrationPageSize { return last.record.id }
            after = last.record.id
        }
    }

    /// Up to `migrationPageSize` whole images after `after`, in id order, read in one snapshot.
    static func page(of store: any MetadataStore, after: Int64?) throws -> [CatalogueImage] {
        try store.withReadSnapshot {
            try store.images(matching: ImageQuery(limit: migrationPageSize, after: after)).map { record in
                CatalogueImage(record: record, names: try store.knownNames(imageID: record.id),
                               tags: try store.exifTags(imageID: record.id))
            }
        }
    }

    /// Reads both catalogues page by page and compares them image by image; then compares row
    /// counts, the sets of SHA-512s, and the highest ids given.
    static func checkCopy(from source: any MetadataStore, to target: any MetadataStore, url: String) throws {
        func mismatch(_ reason: String) -> ImgrepoError {
            .integrity(subject: url, reason: "the copy differs from the source: \(reason); the repository still uses the source")
        }
        var after: Int64?
        var sourceHashes = Set<String>(), targetHashes = Set<String>()
        while true {
            let expected = try page(of: source, after: after), actual = try page(of: target, after: after)
            sourceHashes.formUnion(expected.map(\.record.sha512))
            targetHashes.formUnion(actual.map(\.record.sha512))
            for (index, image) in expected.enumerated() where index >= actual.count || actual[index] != image {
                throw mismatch("image \(image.record.id)")
            }
            if actual.count > expected.count { throw mismatch("image \(actual[expected.count].record.id) is extra") }
            guard let last = expected.last else { break }
            after = last.record.id
        }
        let (sourceCount, targetCount) = (try source.count(), try target.count())
        guard sourceCount == targetCount else { throw mismatch("\(sourceCount) rows against \(targetCount)") }
        guard sourceHashes == targetHashes else { throw mismatch("the sets of SHA-512s differ") }
        let (sourceMark, targetMark) = (try source.highestAssignedID(), try target.highestAssignedID())
        guard targetMark >= sourceMark else {
            throw mismatch("its next id would be \(targetMark + 1), one the source already gave (up to \(sourceMark))")
        }
    }

    /// Rewrites `config` with `database` as the catalogue: a temp file in tmp/, fsync'd and
    /// renamed over it, then the folder fsync'd.
    func recordCatalogue(_ database: String) throws {
        var updated = configuration
        updated.database = database
        let path = root + "/config", temp = "\(root)/tmp/config-\(getpid())-\(POSIX.randomHex())"
        let fd = POSIX.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw Repository.creationError(temp, errno) }
        let bytes = Array(updated.toml.utf8)
        var failure = bytes.withUnsafeBytes { POSIX.writeAll(fd, $0) }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == nil, rename(temp, path) != 0 { failure = errno }
        if let failure {
            unlink(temp)
            throw ImgrepoError.io(path: path, reason: POSIX.errorText(failure))
        }
        _ = POSIX.syncDirectory(root)
    }
}
