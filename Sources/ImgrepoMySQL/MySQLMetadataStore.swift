import ImageProbe
import ImgrepoCore
import ImgrepoSQL

/// The `MetadataStore` over one MySQL or MariaDB database (docs/catalogue-schema.md, "MySQL/
/// MariaDB driver"), through libmariadb's prepared statements.
///
/// Opening connects and brings the schema up to `schemaVersion`. Several processes may hold
/// stores on one database: every write is one InnoDB transaction at READ COMMITTED that locks
/// the image row it touches, so a hash inserted by two processes at once is stored by one and
/// comes out as a duplicate for the other; reads that need one snapshot run in a REPEATABLE
/// READ transaction started WITH CONSISTENT SNAPSHOT.
///
/// Errors: every failure is `ImgrepoError.databaseUnavailable(location: "host:port/db", …)`
/// with the server's message; the password never appears in one. A connection the server
/// dropped while idle (restart, `wait_timeout`) is re-opened once, and the call retried, when
/// the failure came on the call's first command; a failure midway is reported, not retried.
public final class MySQLMetadataStore: MetadataStore {
    /// The schema version this code creates and understands (the same numbering as SQLite's).
    public static let schemaVersion: Int = MySQLCatalogueSchema.currentVersion

    public let location: MySQLLocation
    let connection: MySQLConnection
    private let dialect = SQLDialect.mysql
    /// Statements reused across calls, by SQL text; dropped when the session is re-opened.
    private var statements: [String: MySQLStatement] = [:]

    /// How often a write transaction the server chose as a deadlock victim is run again.
    static let deadlockRetries = 5

    /// Connects to the database at `location` with `password` (nil for none) and migrates it.
    ///
    /// - Throws: `ImgrepoError.databaseUnavailable(location:reason:)` when the server cannot be
    ///   reached, refuses the user or password, the database does not exist, holds a newer
    ///   schema version, or holds other tables and no schema version.
    ///
    /// With `create` false, a database without imgrepo's schema is left untouched and the open
    /// throws `ImgrepoError.catalogueMissing(location:)`.
    public init(location: MySQLLocation, password: String?, create: Bool = true) throws {
        self.location = location
        do {
            connection = try MySQLConnection(location: location, password: password)
            if !create, try MySQLMigrator.storedVersion(connection) == 0 {
                throw ImgrepoError.catalogueMissing(location: location.description)
            }
            try MySQLMigrator(migrations: MySQLCatalogueSchema.migrations).migrate(connection)
        } catch let error as MySQLError {
            throw error.imgrepoError(location: location)
        } catch let refusal as MySQLMigrator.Refusal {
            throw ImgrepoError.databaseUnavailable(location: location.description, reason: refusal.description)
        }
    }

    /// Parses `url` (see `MySQLLocation`) and opens the store there.
    public convenience init(url: String, password: String?) throws {
        try self.init(location: MySQLLocation(url: url), password: password)
    }

    // MARK: MetadataStore

    /// The server decides what this user may write: a refused write fails as it comes.
    public var isReadOnly: Bool { false }

    public func insert(_ image: NewImage) throws -> InsertOutcome {
        try perform { try withPixelLocks([image]) { try writeRetryingDeadlocks { try insertInTransaction(image) } } }
    }

    public func insert(contentsOf images: [NewImage]) throws -> [InsertOutcome] {
        guard !images.isEmpty else { return [] }
        return try perform { try withPixelLocks(images) { try writeRetryingDeadlocks { try images.map(insertInTransaction) } } }
    }

    /// How long an insert with `deduplicatePixels` waits for another process inserting the
    /// same pixels before it gives up.
    static let pixelLockTimeoutSeconds = 60

    /// Runs `body` holding one named lock (`GET_LOCK`) per pixel hash of `images` that asks for
    /// pixel deduplication. At READ COMMITTED, the `SELECT … FOR UPDATE` that looks for the
    /// pixels finds no row and locks no gap, so two processes storing the same pixels at once
    /// would each store their image; with the lock, the second waits for the first to commit
    /// and then finds its row. The locks are taken in hash order before the transaction (so two
    /// batches cannot wait on each other for them) and released after it. A lock's name is the
    /// SHA-1 of the database's name and the hash (names are at most 64 characters).
    private func withPixelLocks<T>(_ images: [NewImage], _ body: () throws -> T) throws -> T {
        let hashes = Set(images.compactMap { $0.deduplicatePixels ? $0.fingerprints.pixelSHA512 : nil }).sorted()
        guard !hashes.isEmpty else { return try body() }
        let name = "CONCAT('imgrepo-pixels:', SHA1(CONCAT(DATABASE(), ':', ?)))"
        var held: [String] = []
        defer {
            for hash in held { _ = try? statement("SELECT RELEASE_LOCK(\(name))").firstRow([.text(hash)]) }
        }
        for hash in hashes {
            let got = try statement("SELECT GET_LOCK(\(name), ?)")
                .firstRow([.text(hash), .integer(Int64(Self.pixelLockTimeoutSeconds))])?.first?.integerValue
            guard got == 1 else {
                throw MySQLError(code: MySQLError.lockWaitTimeout,
                                 message: "another upload of the same pixels held its lock for \(Self.pixelLockTimeoutSeconds) s")
            }
            held.append(hash)
        }
        return try body()
    }

    private func insertInTransaction(_ image: NewImage) throws -> InsertOutcome {
        guard Self.isSHA512(image.sha512) else {
            throw ImgrepoError.invalidArgument(value: image.sha512, reason: "not a lower-case hex SHA-512")
        }
        // Look first and lock the row: duplicates, the common case of reruns, consume no
        // AUTO_INCREMENT value, and the lock serialises name additions for this image.
        let lookup = try statement("SELECT id FROM images WHERE sha512 = ? FOR UPDATE")
        var outcome: InsertOutcome
        if let existing = try lookup.firstRow([.text(image.sha512)])?.first?.integerValue {
            outcome = .duplicate(id: existing)
        } else if image.deduplicatePixels, let pixels = image.fingerprints.pixelSHA512,
                  let same = try statement(FingerprintSQL.imageWithPixels + " FOR UPDATE").firstRow([.text(pixels)])?.first?.integerValue {
            outcome = .samePixels(id: same)
        } else {
            let insert = try statement(Self.insertImageSQL)
            do {
                try insert.run(Self.values(of: image))
                outcome = .stored(id: insert.insertID)
            } catch let error as MySQLError where error.code == MySQLError.duplicateEntry {
                // Another process stored the hash after our look-up; InnoDB made this insert
                // wait for its commit. At READ COMMITTED the row is now visible: a duplicate.
                guard let existing = try lookup.firstRow([.text(image.sha512)])?.first?.integerValue else { throw error }
                outcome = .duplicate(id: existing)
            }
            if case .stored(let id) = outcome {
                // Many rows per statement: each statement is a round trip to the server, and an
                // image has dozens of tags (one statement per row made imports ~1.5× SQLite's).
                try insertRows(Self.insertKeywordPrefix, columns: 3, image.exif.summary.keywords.enumerated().map { seq, keyword in
                    [.integer(id), .integer(Int64(seq)), .text(keyword)]
                })
                try insertRows(Self.insertTagPrefix, columns: 7, image.exif.tags.enumerated().map { seq, tag in
                    [.integer(id), .integer(Int64(seq)), .text(tag.ifd), .text(tag.name),
                     .integer(Int64(tag.tagID)), .text(tag.text), SQLValue(tag.number)]
                })
            }
        }
        let known = try statement("""
            SELECT 1 FROM image_names WHERE image_id = ? AND name = ? AND path <=> ? LIMIT 1
            """).firstRow([.integer(outcome.id), .text(image.originalName), SQLValue(image.originalPath)])
        if known == nil {
            try statement(Self.insertNameSQL).run([
                .integer(outcome.id), .text(image.originalName), SQLValue(image.originalPath),
                .text(image.owner), .integer(image.uploadedAt.microseconds),
            ])
        }
        return outcome
    }

    public func image(id: Int64) throws -> ImageRecord? {
        try perform {
            try statement("SELECT \(Self.recordColumns) FROM images WHERE id = ?")
                .firstRow([.integer(id)]).map(decodeRecord)
        }
    }

    public func images(sha512Prefix prefix: String, limit: Int) throws -> [ImageRecord] {
        // The column holds only lower-case hex (a CHECK constraint says so): any other
        // character matches nothing, and "g" sorts after every hex digit.
        guard limit > 0, prefix.utf8.allSatisfy(Self.isLowerHexDigit) else { return [] }
        return try perform {
            try statement("""
                SELECT \(Self.recordColumns) FROM images
                WHERE sha512 >= ? AND sha512 < ? ORDER BY id LIMIT ?
                """).rows([.text(prefix), .text(prefix + "g"), .integer(Int64(limit))]).map(decodeRecord)
        }
    }

    public func forEachImage(matching query: ImageQuery, _ body: (ImageRecord) throws -> Void) throws {
        try perform {
            var anchor: [SQLValue]?
            if let after = query.after {
                anchor = try connection.prepare(ImageQuerySQL.anchorLookup(for: query)).firstRow([.integer(after)])
                // No such image: nothing comes after it.
                if anchor == nil { return }
            }
            let fragment = try ImageQuerySQL.select(Self.recordColumns, matching: query, anchor: anchor, dialect: dialect)
            try connection.prepare(fragment.sql).forEachRow(fragment.arguments) { row in
                try body(try decodeRecord(row))
            }
        }
    }

    public func count(matching predicate: QueryPredicate) throws -> Int {
        try perform {
            let fragment = try ImageQuerySQL.count(matching: predicate, dialect: dialect)
            return Int(try connection.prepare(fragment.sql).firstRow(fragment.arguments)?.first?.integerValue ?? 0)
        }
    }

    public func statistics(matching predicate: QueryPredicate) throws -> CatalogueStatistics {
        try perform { try CatalogueStatisticsSQL(predicate: predicate, dialect: dialect).run(on: connection) }
    }

    public func knownNames(imageID: Int64) throws -> [KnownName] {
        try perform {
            try statement("SELECT name, path, owner, added_at FROM image_names WHERE image_id = ? ORDER BY id")
                .rows([.integer(imageID)]).map { row in
                    KnownName(name: row[0].textValue ?? "", path: row[1].textValue, owner: row[2].textValue ?? "",
                              addedAt: Timestamp(microseconds: row[3].integerValue ?? 0))
                }
        }
    }

    public func exifTags(imageID: Int64) throws -> [ExifTag] {
        try perform {
            try statement("""
                SELECT ifd, tag_name, tag_id, value_text, value_num FROM exif_tags WHERE image_id = ? ORDER BY seq
                """).rows([.integer(imageID)]).map { row in
                ExifTag(ifd: row[0].textValue ?? "", name: row[1].textValue ?? "", tagID: Int(row[2].integerValue ?? 0),
                        text: row[3].textValue ?? "", number: row[4].realValue)
            }
        }
    }

    public func delete(id: Int64) throws -> ImageRecord? {
        try perform {
            try writeRetryingDeadlocks {
                guard let row = try statement("SELECT \(Self.recordColumns) FROM images WHERE id = ? FOR UPDATE")
                    .firstRow([.integer(id)]) else { return nil }
                let record = try decodeRecord(row)
                // Names and tags go with it: ON DELETE CASCADE.
                try statement("DELETE FROM images WHERE id = ?").run([.integer(id)])
                return record
            }
        }
    }

    public func contains(sha512: String) throws -> Bool {
        guard Self.isSHA512(sha512) else { return false }
        return try perform {
            try statement("SELECT 1 FROM images WHERE sha512 = ?").firstRow([.text(sha512)]) != nil
        }
    }

    public func count() throws -> Int {
        try perform { Int(try statement("SELECT count(*) FROM images").firstRow()?.first?.integerValue ?? 0) }
    }

    /// InnoDB's AUTO_INCREMENT counter, less one (deletions leave it where it was), or the
    /// largest id when that is larger.
    public func highestAssignedID() throws -> Int64 {
        try perform {
            // MySQL 8 caches information_schema's table statistics (AUTO_INCREMENT included) for
            // a day by default; MariaDB has no such cache, nor the variable: 1193, unknown.
            do { try connection.execute("SET SESSION information_schema_stats_expiry = 0") }
            catch let error as MySQLError where error.code == 1193 {}
            return try statement("""
                SELECT GREATEST(COALESCE((SELECT AUTO_INCREMENT - 1 FROM information_schema.TABLES
                                          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'images'), 0),
                                COALESCE((SELECT MAX(id) FROM images), 0))
                """).firstRow()?.first?.integerValue ?? 0
        }
    }

    /// `ALTER TABLE images AUTO_INCREMENT`, which InnoDB keeps across restarts (MySQL 8,
    /// MariaDB 10.2.4 and later). Never lowers the counter: InnoDB would lower it to any
    /// value past the largest id.
    public func reserveIDs(through id: Int64) throws {
        guard id != Int64.max, try highestAssignedID() < id else { return }
        try perform { try connection.execute("ALTER TABLE images AUTO_INCREMENT = \(id + 1)") }
    }

    public func withReadSnapshot<T>(_ body: () throws -> T) throws -> T {
        do {
            return try connection.readTransaction(body)
        } catch let error as MySQLError {
            throw error.imgrepoError(location: location)
        }
    }

    public func fingerprintBacklog(kinds: FingerprintKinds, version: Int?, after id: Int64, limit: Int) throws -> [ImageRecord] {
        try perform {
            let query = FingerprintSQL.backlog(columns: Self.recordColumns, kinds: kinds, version: version, after: id, limit: limit)
            return try connection.prepare(query.sql).rows(query.arguments).map(decodeRecord)
        }
    }

    public func setFingerprints(_ updates: [FingerprintUpdate]) throws {
        guard !updates.isEmpty else { return }
        try perform {
            try writeRetryingDeadlocks {
                let update = try statement(FingerprintSQL.update)
                for entry in updates { try update.run(FingerprintSQL.updateArguments(entry)) }
            }
        }
    }

    public func pixelDuplicateGroups() throws -> [[ImageRecord]] {
        try perform {
            FingerprintSQL.groupByPixels(try connection.prepare(FingerprintSQL.pixelDuplicates(columns: Self.recordColumns))
                .rows([]).map(decodeRecord))
        }
    }

    public func imagesWithSeveralNames() throws -> [ImageRecord] {
        try perform {
            try connection.prepare(FingerprintSQL.severalNames(columns: Self.recordColumns)).rows([]).map(decodeRecord)
        }
    }

    public func perceptualHashes(matching predicate: QueryPredicate) throws -> (ids: [Int64], hashes: [UInt64]) {
        try perform {
            let query = try FingerprintSQL.perceptualHashes(matching: predicate, dialect: dialect)
            var ids: [Int64] = []
            var hashes: [UInt64] = []
            try connection.prepare(query.sql).forEachRow(query.arguments) { row in
                ids.append(row[0].integerValue ?? 0)
                hashes.append(UInt64(bitPattern: row[1].integerValue ?? 0))
            }
            return FingerprintSQL.sortedByID(ids, hashes)
        }
    }

    /// `CHECK TABLE` on the catalogue's tables: one line per message other than "OK".
    public func integrityProblems() throws -> [String] {
        try perform {
            let rows = try connection.query("CHECK TABLE schema_version, images, image_names, exif_tags, image_keywords")
            return rows.compactMap { row -> String? in
                // Columns: Table, Op, Msg_type, Msg_text.
                guard row.count >= 4 else { return nil }
                let type = row[2] ?? "", text = row[3] ?? ""
                if type == "status" && text == "OK" { return nil }
                if type == "note" { return nil }
                return "\(row[0] ?? "?"): \(type): \(text)"
            }
        }
    }

    // MARK: Plumbing

    /// The cached statement for `sql`, prepared on first use.
    /// Inserts `rows` with `prefix` (`INSERT INTO t (…) VALUES `) in statements of up to 64 rows,
    /// so at most 64 distinct statements are ever prepared and cached.
    private func insertRows(_ prefix: String, columns: Int, _ rows: [[SQLValue]]) throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 64, rows.count)]
            let group = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
            let sql = prefix + Array(repeating: group, count: chunk.count).joined(separator: ", ")
            try statement(sql).run(chunk.flatMap { $0 })
            start += chunk.count
        }
    }

    private func statement(_ sql: String) throws -> MySQLStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try connection.prepare(sql)
        statements[sql] = prepared
        return prepared
    }

    /// Runs `body`, turning libmariadb's errors into `ImgrepoError`; when the session turns out
    /// to be gone on the call's first command (nothing of the call reached the server),
    /// reconnects and runs `body` once more.
    private func perform<T>(_ body: () throws -> T) throws -> T {
        let before = connection.commandCount
        do {
            return try body()
        } catch let error as MySQLError
                    where error.isConnectionLost && !connection.isInTransaction && connection.commandCount == before + 1 {
            do {
                statements.removeAll()
                try connection.reconnect()
                return try body()
            } catch let error as MySQLError {
                throw error.imgrepoError(location: location)
            }
        } catch let error as MySQLError {
            throw error.imgrepoError(location: location)
        }
    }

    /// A write transaction, run again when InnoDB rolled it back to break a deadlock (two
    /// batches locking the same images in different orders).
    private func writeRetryingDeadlocks<T>(_ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try connection.writeTransaction(body)
            } catch let error as MySQLError where error.code == MySQLError.deadlock && attempt < Self.deadlockRetries {
                attempt += 1
            }
        }
    }

    static func isLowerHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    static func isSHA512(_ text: String) -> Bool {
        text.utf8.count == 128 && text.utf8.allSatisfy(isLowerHexDigit)
    }
}

// MARK: - Rows

extension MySQLMetadataStore {
    /// The `images` columns an `ImageRecord` is read from, in `decodeRecord`'s order.
    static let recordColumns = ImageRecordSQL.columns(.mysql)

    fileprivate func decodeRecord(_ row: [SQLValue]) throws -> ImageRecord {
        var reader = RowReader(values: row)
        return try ImageRecordSQL.decode(&reader, location: "\(location)")
    }

    static let instant = SQLDialect.mysql.instantPlaceholder

    /// Creates the row (the caller has checked the hash is new); the id is the statement's insert id.
    static let insertImageSQL = ImageRecordSQL.insertSQL(.mysql)

    /// The values for `insertImageSQL`, in its column order.
    static func values(of image: NewImage) -> [SQLValue] { ImageRecordSQL.insertValues(of: image) }

    static let insertKeywordPrefix = "INSERT INTO image_keywords (image_id, seq, keyword) VALUES "
    static let insertKeywordSQL = insertKeywordPrefix + "(?, ?, ?)"

    /// A known name; the caller has checked (holding the image row's lock) that it is new.
    static let insertNameSQL = """
        INSERT INTO image_names (image_id, name, path, owner, added_at) VALUES (?, ?, ?, ?, \(instant))
        """

    static let insertTagPrefix = "INSERT INTO exif_tags (image_id, seq, ifd, tag_name, tag_id, value_text, value_num) VALUES "
    static let insertTagSQL = insertTagPrefix + "(?, ?, ?, ?, ?, ?, ?)"
}

/// Reads a row's values left to right, so a decoder lists them in the SELECT's order.
struct RowReader: SQLColumnCursor {
    let values: [SQLValue]
    private var column = 0

    init(values: [SQLValue]) { self.values = values }

    private mutating func next() -> SQLValue { defer { column += 1 }; return values[column] }

    mutating func int64() -> Int64 { next().integerValue ?? 0 }
    mutating func text() -> String { next().textValue ?? "" }
    mutating func optionalText() -> String? { next().textValue }
    mutating func optionalInt() -> Int? { next().integerValue.map { Int($0) } }
    mutating func optionalDouble() -> Double? { next().realValue }
}
