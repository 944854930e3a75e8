import Glibc
import ImageProbe
import ImgrepoCore
import ImgrepoSQL

/// The `MetadataStore` over one SQLite catalogue file (docs/catalogue-schema.md).
///
/// Opening creates the file when needed and brings its schema up to `schemaVersion`. The
/// connection runs in WAL mode with `synchronous=FULL`, foreign keys on, and a 10 s busy
/// timeout, so several processes may hold stores on the same file: readers never block, and
/// writers (every write is a `BEGIN IMMEDIATE` transaction) queue rather than fail.
///
/// Errors: SQLite failures become `ImgrepoError.databaseUnavailable(location: path, …)` with
/// SQLite's own message, except a write refused because the file, its folder or the store is
/// read-only, which is `ImgrepoError.repositoryNotWritable(path: path, …)`. A stored row
/// that cannot be decoded (unknown format) is `ImgrepoError.integrity`.
public final class SQLiteMetadataStore: MetadataStore {
    /// The schema version this code creates and understands.
    public static let schemaVersion: Int = CatalogueSchema.currentVersion

    /// The catalogue file's path, as given.
    public let path: String
    public let isReadOnly: Bool

    /// Internal rather than private so the driver's own tests can inspect pragmas.
    let connection: SQLiteConnection
    private let dialect = SQLDialect.sqlite
    /// Statements reused across calls (bulk imports insert thousands of images), by SQL text.
    /// Only fixed SQL is cached; query SQL varies with the query and is prepared per call.
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens the catalogue at `path`, creating and migrating it unless `readOnly`.
    ///
    /// With `create` false, a catalogue that does not exist yet (no file, an empty file, or a
    /// file without imgrepo's schema) is not created: the open throws
    /// `ImgrepoError.catalogueMissing(location: path)` and leaves the file as it found it.
    ///
    /// A catalogue this process may not write (its file or its folder: another user's
    /// repository, a read-only mount, a backup) is opened read-only whatever `readOnly` says,
    /// so that it can be read; a write then fails as `repositoryNotWritable`. When its folder
    /// cannot be written and no other process has the catalogue open (no `-wal` and `-shm`
    /// files beside it), SQLite could not create the `-shm` a WAL reader needs, and the file
    /// is opened immutable instead (docs/catalogue-schema.md, "Connection settings").
    ///
    /// - Throws: `ImgrepoError.databaseUnavailable(location: path, reason:)` when the file cannot
    ///   be opened or created, is not a database ("file is not a database"), is locked past the
    ///   busy timeout, holds a schema version newer than `schemaVersion`, or needs migrating
    ///   while read-only (a read-only open never writes).
    ///
    /// `cacheMebibytes` sets the connection's page cache (SQLite's default is about 2 MiB). Bulk
    /// loads want more: each batch touches pages all over the hash index, and re-reading them
    /// from the file dominates. Readers keep the default, so streaming stays small.
    public init(path: String, readOnly: Bool = false, create: Bool = true, cacheMebibytes: Int? = nil) throws {
        self.path = path
        // Without SQLITE_OPEN_CREATE a missing file would fail as "unable to open database
        // file", which says nothing of why; the caller wants to know it is missing.
        if !create, Glibc.access(path, F_OK) != 0, errno == ENOENT { throw ImgrepoError.catalogueMissing(location: path) }
        var access = Self.access(to: path, readOnly: readOnly)
        do {
            do {
                connection = try Self.connect(path, access: access, create: create, cacheMebibytes: cacheMebibytes)
            } catch let error as SQLiteError where access == .readWrite && Self.isOutOfSpace(error, path: path) {
                // On a full disk SQLite cannot extend the -shm file every WAL reader maps: reads
                // would fail as "disk I/O error". With no WAL content to lose (an empty or absent
                // -wal: everything is in the main file), an immutable open reads without it.
                guard Self.walIsEmpty(path) else { throw error }
                access = .immutable
                connection = try Self.connect(path, access: access, create: create, cacheMebibytes: cacheMebibytes)
                diskFull = true
            }
        } catch let error as SQLiteError {
            throw ImgrepoError.databaseUnavailable(location: path, reason: error.message)
        } catch let refusal as MigrationRefusal {
            throw ImgrepoError.databaseUnavailable(location: path, reason: refusal.description)
        }
        self.isReadOnly = access != .readWrite
    }

    /// Set when the catalogue was opened immutable because the disk is full: writes then fail as
    /// `ImgrepoError.io` ("no space left"), not as a read-only repository.
    private var diskFull = false

    /// Opens the connection and brings the schema up to date (or checks it, read-only).
    private static func connect(_ path: String, access: Access, create: Bool, cacheMebibytes: Int?) throws -> SQLiteConnection {
        let opensReadOnly = access != .readWrite
        let connection = try SQLiteConnection(path: path, readOnly: opensReadOnly, immutable: access == .immutable)
        try connection.execute("PRAGMA foreign_keys = ON")
        try SQLiteFunctions.register(on: connection.handle)
        // Checked before any pragma: setting WAL mode writes to an empty file.
        if !create, try CatalogueMigrator.storedVersion(connection) == 0 {
            throw ImgrepoError.catalogueMissing(location: path)
        }
        if let cacheMebibytes {
            // Negative: a size in KiB rather than a number of pages.
            try connection.execute("PRAGMA cache_size = -\(max(1, cacheMebibytes) * 1024)")
        }
        if !opensReadOnly {
            // journal_mode is a property of the file; a read-only connection cannot change it.
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA synchronous = FULL")
        }
        try CatalogueMigrator(migrations: CatalogueSchema.migrations).migrate(connection, readOnly: opensReadOnly)
        return connection
    }

    /// An I/O or "full" error while the catalogue's folder has almost no room left (less than
    /// the 32 KiB a -shm needs, with margin).
    static func isOutOfSpace(_ error: SQLiteError, path: String) -> Bool {
        guard error.isIOOrFull else { return false }
        var fs = statvfs()
        guard statvfs(POSIX.dirname(of: path), &fs) == 0 else { return false }
        return UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 256 * 1024
    }

    static func walIsEmpty(_ path: String) -> Bool {
        var st = stat()
        return stat(path + "-wal", &st) != 0 || st.st_size == 0
    }

    /// How a catalogue can be opened by this process.
    enum Access: Equatable {
        case readWrite
        /// Read-only, with the usual locks and the `-shm` file (existing, or created beside it).
        case readOnly
        /// Read-only, without locks or `-shm`: `file:PATH?immutable=1`.
        case immutable
    }

    /// `readWrite` unless `readOnly` is asked or the file exists and it or its folder is not
    /// writable (`access(2)`, which also answers `EROFS` for root on a read-only mount); then
    /// `readOnly` where SQLite can use or create the `-shm` file, `immutable` where it cannot.
    static func access(to path: String, readOnly: Bool) -> Access {
        let exists = Glibc.access(path, F_OK) == 0
        guard exists else { return readOnly ? .readOnly : .readWrite }
        let folderWritable = Glibc.access(POSIX.dirname(of: path), W_OK) == 0
        if !readOnly, folderWritable, Glibc.access(path, W_OK) == 0 { return .readWrite }
        if folderWritable || (Glibc.access(path + "-wal", F_OK) == 0 && Glibc.access(path + "-shm", F_OK) == 0) {
            return .readOnly
        }
        return .immutable
    }

    // MARK: MetadataStore

    public func insert(_ image: NewImage) throws -> InsertOutcome {
        try mapErrors {
            try connection.writeTransaction { try insertInTransaction(image) }
        }
    }

    /// Records several images in one transaction, as `insert(_:)` would one by one, and
    /// returns their outcomes in order. Either every image is recorded or none is. Bulk loads
    /// use it: one commit (and one fsync) per batch instead of per image.
    public func insert(contentsOf images: [NewImage]) throws -> [InsertOutcome] {
        try mapErrors {
            try connection.writeTransaction { try images.map(insertInTransaction) }
        }
    }

    private func insertInTransaction(_ image: NewImage) throws -> InsertOutcome {
        // Look the hash up first, inside the write transaction (BEGIN IMMEDIATE: no other
        // writer can slip in between): an upsert that finds a conflict still consumes an
        // AUTOINCREMENT value, and nightly reruns are mostly duplicates, which should not
        // leave gaps in the ids.
        let outcome: InsertOutcome
        if let existing = try statement("SELECT id FROM images WHERE sha512 = ?")
            .firstRow([.text(image.sha512)], { $0.int64() }) {
            outcome = .duplicate(id: existing)
        } else if image.deduplicatePixels, let pixels = image.fingerprints.pixelSHA512,
                  let same = try statement(FingerprintSQL.imageWithPixels).firstRow([.text(pixels)], { $0.int64() }) {
            outcome = .samePixels(id: same)
        } else {
            guard let id = try statement(Self.insertImageSQL).firstRow(Self.values(of: image), { $0.int64() }) else {
                throw ImgrepoError.databaseUnavailable(location: path, reason: "insert of \(image.sha512) returned no id")
            }
            outcome = .stored(id: id)
            let keywordStatement = try statement(Self.insertKeywordSQL)
            for (seq, keyword) in image.exif.summary.keywords.enumerated() {
                try keywordStatement.run([.integer(id), .integer(Int64(seq)), .text(keyword)])
            }
            let tagStatement = try statement(Self.insertTagSQL)
            for (seq, tag) in image.exif.tags.enumerated() {
                try tagStatement.run([
                    .integer(id), .integer(Int64(seq)), .text(tag.ifd), .text(tag.name),
                    .integer(Int64(tag.tagID)), .text(tag.text), SQLValue(tag.number),
                ])
            }
        }
        try statement(Self.insertNameSQL).run([
            .integer(outcome.id), .text(image.originalName), SQLValue(image.originalPath),
            .text(image.owner), .integer(image.uploadedAt.microseconds),
        ])
        return outcome
    }

    public func image(id: Int64) throws -> ImageRecord? {
        try mapErrors {
            try statement("SELECT \(Self.recordColumns) FROM images WHERE id = ?")
                .firstRow([.integer(id)], decodeRecord)
        }
    }

    public func images(sha512Prefix prefix: String, limit: Int) throws -> [ImageRecord] {
        guard limit > 0 else { return [] }
        return try mapErrors {
            // A range on the text keeps the sha512 index usable and gives the prefix's
            // characters no special meaning (LIKE and GLOB would). U+10FFFF sorts after every
            // character a hash can hold.
            try statement("""
                SELECT \(Self.recordColumns) FROM images
                WHERE sha512 >= ? AND sha512 < ? ORDER BY id LIMIT ?
                """).rows([.text(prefix), .text(prefix + "\u{10FFFF}"), .integer(Int64(limit))], decodeRecord)
        }
    }

    public func forEachImage(matching query: ImageQuery, _ body: (ImageRecord) throws -> Void) throws {
        try mapErrors {
            var anchor: [SQLValue]?
            if let after = query.after {
                anchor = try connection.prepare(ImageQuerySQL.anchorLookup(for: query))
                    .firstRow([.integer(after)]) { row in
                        (0..<row.statement.columnCount).map { _ in row.value() }
                    }
                // No such image: nothing comes after it.
                if anchor == nil { return }
            }
            let fragment = try ImageQuerySQL.select(Self.recordColumns, matching: query, anchor: anchor, dialect: dialect)
            try connection.prepare(fragment.sql).forEachRow(fragment.arguments) { row in
                try body(try decodeRecord(&row))
            }
        }
    }

    public func count(matching predicate: QueryPredicate) throws -> Int {
        try mapErrors {
            let fragment = try ImageQuerySQL.count(matching: predicate, dialect: dialect)
            return Int(try connection.prepare(fragment.sql).firstRow(fragment.arguments) { $0.int64() } ?? 0)
        }
    }

    public func statistics(matching predicate: QueryPredicate) throws -> CatalogueStatistics {
        try mapErrors {
            try CatalogueStatisticsSQL(predicate: predicate, dialect: dialect).run(on: connection)
        }
    }

    public func knownNames(imageID: Int64) throws -> [KnownName] {
        try mapErrors {
            // Ids follow commit order, which is the order the names became known.
            try statement("SELECT name, path, owner, added_at FROM image_names WHERE image_id = ? ORDER BY id")
                .rows([.integer(imageID)]) { row in
                    KnownName(name: row.text(), path: row.optionalText(), owner: row.text(),
                              addedAt: Timestamp(microseconds: row.int64()))
                }
        }
    }

    public func exifTags(imageID: Int64) throws -> [ExifTag] {
        try mapErrors {
            try statement("""
                SELECT ifd, tag_name, tag_id, value_text, value_num FROM exif_tags
                WHERE image_id = ? ORDER BY seq
                """).rows([.integer(imageID)]) { row in
                ExifTag(ifd: row.text(), name: row.text(), tagID: Int(row.int64()), text: row.text(),
                        number: row.optionalDouble())
            }
        }
    }

    public func delete(id: Int64) throws -> ImageRecord? {
        try mapErrors {
            try connection.writeTransaction {
                guard let record = try statement("SELECT \(Self.recordColumns) FROM images WHERE id = ?")
                    .firstRow([.integer(id)], decodeRecord) else { return nil }
                // Names and tags go with it: ON DELETE CASCADE, with foreign_keys on.
                try statement("DELETE FROM images WHERE id = ?").run([.integer(id)])
                return record
            }
        }
    }

    public func contains(sha512: String) throws -> Bool {
        try mapErrors {
            try statement("SELECT 1 FROM images WHERE sha512 = ?").firstRow([.text(sha512)]) { _ in true } ?? false
        }
    }

    public func count() throws -> Int {
        try mapErrors {
            Int(try statement("SELECT count(*) FROM images").firstRow { $0.int64() } ?? 0)
        }
    }

    public func withReadSnapshot<T>(_ body: () throws -> T) throws -> T {
        try mapErrors { try connection.readTransaction(body) }
    }

    /// AUTOINCREMENT's mark (`sqlite_sequence`), which deletions leave where it was.
    public func highestAssignedID() throws -> Int64 {
        try mapErrors {
            try statement("""
                SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'images'), 0),
                           coalesce((SELECT max(id) FROM images), 0))
                """).firstRow { $0.int64() } ?? 0
        }
    }

    /// Raises `sqlite_sequence`'s row for `images` (made when the table never had a row), which
    /// SQLite lets ordinary statements change.
    public func reserveIDs(through id: Int64) throws {
        try mapErrors {
            try connection.writeTransaction {
                try statement("UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'images'").run([.integer(id)])
                try statement("""
                    INSERT INTO sqlite_sequence (name, seq) SELECT 'images', ?1
                    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'images')
                    """).run([.integer(id)])
            }
        }
    }

    public func fingerprintBacklog(kinds: FingerprintKinds, version: Int?, after id: Int64, limit: Int) throws -> [ImageRecord] {
        try mapErrors {
            let query = FingerprintSQL.backlog(columns: Self.recordColumns, kinds: kinds, version: version, after: id, limit: limit)
            return try connection.prepare(query.sql).rows(query.arguments, decodeRecord)
        }
    }

    public func setFingerprints(_ updates: [FingerprintUpdate]) throws {
        guard !updates.isEmpty else { return }
        try mapErrors {
            try connection.writeTransaction {
                let update = try statement(FingerprintSQL.update)
                for entry in updates { try update.run(FingerprintSQL.updateArguments(entry)) }
            }
        }
    }

    public func pixelDuplicateGroups() throws -> [[ImageRecord]] {
        let records = try mapErrors {
            try connection.prepare(FingerprintSQL.pixelDuplicates(columns: Self.recordColumns)).rows([], decodeRecord)
        }
        return FingerprintSQL.groupByPixels(records)
    }

    public func imagesWithSeveralNames() throws -> [ImageRecord] {
        try mapErrors {
            try connection.prepare(FingerprintSQL.severalNames(columns: Self.recordColumns)).rows([], decodeRecord)
        }
    }

    public func perceptualHashes(matching predicate: QueryPredicate) throws -> (ids: [Int64], hashes: [UInt64]) {
        try mapErrors {
            let query = try FingerprintSQL.perceptualHashes(matching: predicate, dialect: dialect)
            var ids: [Int64] = []
            var hashes: [UInt64] = []
            try connection.prepare(query.sql).forEachRow(query.arguments) { row in
                ids.append(row.int64())
                hashes.append(UInt64(bitPattern: row.int64()))
            }
            return FingerprintSQL.sortedByID(ids, hashes)
        }
    }

    /// `PRAGMA integrity_check`, whose single row "ok" means sound.
    public func integrityProblems() throws -> [String] {
        try mapErrors {
            let rows = try statement("PRAGMA integrity_check").rows { $0.text() }
            return rows == ["ok"] ? [] : rows
        }
    }

    // MARK: Plumbing

    /// The cached statement for `sql`, prepared on first use.
    private func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try connection.prepare(sql)
        statements[sql] = prepared
        return prepared
    }

    /// Runs `body`, turning SQLite's errors into `ImgrepoError`.
    private func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            if diskFull, error.isReadOnly {
                throw ImgrepoError.io(path: path, reason: "cannot write: no space left on device")
            }
            throw error.imgrepoError(location: path)
        }
    }
}

// MARK: - Rows

extension SQLiteMetadataStore {
    /// The `images` columns an `ImageRecord` is read from, in `decodeRecord`'s order.
    static let recordColumns = ImageRecordSQL.columns(.sqlite)

    fileprivate func decodeRecord(_ row: inout SQLiteRow) throws -> ImageRecord {
        try ImageRecordSQL.decode(&row, location: path)
    }

    /// Creates the row (the caller has checked the hash is new); RETURNING yields its id.
    static let insertImageSQL = ImageRecordSQL.insertSQL(.sqlite) + " RETURNING id"

    /// The values for `insertImageSQL`, in its column order.
    static func values(of image: NewImage) -> [SQLValue] { ImageRecordSQL.insertValues(of: image) }

    static let insertKeywordSQL = "INSERT INTO image_keywords (image_id, seq, keyword) VALUES (?, ?, ?)"

    /// A known name, once per (image, name, path): the unique index makes a repeat a no-op.
    static let insertNameSQL = """
        INSERT INTO image_names (image_id, name, path, owner, added_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT DO NOTHING
        """

    static let insertTagSQL = """
        INSERT INTO exif_tags (image_id, seq, ifd, tag_name, tag_id, value_text, value_num)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
}
