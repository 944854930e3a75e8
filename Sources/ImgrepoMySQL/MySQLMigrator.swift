import ImgrepoSQL

/// Brings a MySQL catalogue to the newest schema version, forward only.
///
/// The version is read once without a lock (the common case: nothing to do), and again after
/// taking a named lock (`GET_LOCK`, per database), so two processes opening a new catalogue
/// migrate it once. DDL commits implicitly in MySQL: the version row is written after each
/// migration's statements.
struct MySQLMigrator {
    var migrations: [[String]]

    var targetVersion: Int { migrations.count }

    /// How long an open waits for another process's migration.
    static let lockTimeoutSeconds = 60

    /// Why a database was not opened although the server could read it.
    enum Refusal: Error, CustomStringConvertible {
        case newer(found: Int, known: Int)
        case notACatalogue
        case migrationInProgress

        var description: String {
            switch self {
            case .newer(let found, let known):
                "catalogue schema version \(found) is newer than this imgrepo (\(known))"
            case .notACatalogue:
                "not an imgrepo catalogue (it holds other tables and no schema version)"
            case .migrationInProgress:
                "another process has been migrating the catalogue for over \(MySQLMigrator.lockTimeoutSeconds) s"
            }
        }
    }

    /// The stored version: 0 when there is no `schema_version` table or it has no row.
    static func storedVersion(_ connection: MySQLConnection) throws -> Int {
        let tables = try connection.prepare("""
            SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_version'
            """).firstRow()?.first?.integerValue ?? 0
        guard tables > 0 else { return 0 }
        return Int(try connection.prepare("SELECT max(version) FROM schema_version").firstRow()?.first?.integerValue ?? 0)
    }

    /// Whether the database holds tables or routines other than `schema_version`.
    static func hasForeignTables(_ connection: MySQLConnection) throws -> Bool {
        let count = try connection.prepare("""
            SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_version'
            """).firstRow()?.first?.integerValue ?? 0
        return count > 0
    }

    func migrate(_ connection: MySQLConnection) throws {
        let seen = try Self.storedVersion(connection)
        if seen == targetVersion { return }
        if seen > targetVersion { throw Refusal.newer(found: seen, known: targetVersion) }

        let lock = try connection.prepare("SELECT GET_LOCK(concat('imgrepo-migrate:', DATABASE()), ?)")
            .firstRow([.integer(Int64(Self.lockTimeoutSeconds))])?.first?.integerValue
        guard lock == 1 else { throw Refusal.migrationInProgress }
        defer { _ = try? connection.execute("DO RELEASE_LOCK(concat('imgrepo-migrate:', DATABASE()))") }

        try connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL) ENGINE=InnoDB")
        let version = try Self.storedVersion(connection)
        if version > targetVersion { throw Refusal.newer(found: version, known: targetVersion) }
        if version == 0, try Self.hasForeignTables(connection) { throw Refusal.notACatalogue }
        for next in version..<targetVersion {
            for statement in migrations[next] { try connection.execute(statement) }
            try connection.writeTransaction {
                try connection.execute("DELETE FROM schema_version")
                try connection.prepare("INSERT INTO schema_version (version) VALUES (?)").run([.integer(Int64(next + 1))])
            }
        }
    }
}
