import CMariaDB

/// MariaDB Connector/C, loaded on first use by `CMariaDB` (dlopen), so that commands on a
/// SQLite catalogue never load it, nor the libssl and libcrypto it brings.
enum MariaDB {
    nonisolated(unsafe) private static let table: Result<UnsafePointer<imgrepo_mariadb>, MySQLError> = {
        var problem: UnsafePointer<CChar>?
        if let table = imgrepo_mariadb_load(&problem) { return .success(table) }
        return .failure(MySQLError(code: UInt32(CR_UNKNOWN_ERROR),
                                   message: problem.map { String(cString: $0) } ?? "libmariadb.so.3 cannot be loaded"))
    }()

    /// Loads the library; throws what is missing. Every connection calls this first.
    static func load() throws { _ = try table.get() }

    /// Connector/C's version ("3.3.20"), loading the library first; nil when it cannot be loaded.
    static var clientVersion: String? {
        guard case .success(let table) = table else { return nil }
        return table.pointee.mysql_get_client_info().map { String(cString: $0) }
    }

    /// The functions. Precondition: `load()` succeeded, which holds wherever a handle exists,
    /// since every handle comes from a connection that called it.
    static var api: imgrepo_mariadb {
        guard case .success(let table) = table else { preconditionFailure("MariaDB.api used before MariaDB.load() succeeded") }
        return table.pointee
    }
}
