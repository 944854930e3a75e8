import ImgrepoCore
import ImgrepoMySQL
import ImgrepoSQLite

/// The catalogue drivers by URL scheme: the one place that turns `sqlite:PATH` or
/// `mysql://USER@HOST[:PORT]/DB` into a `MetadataStore`. `imgrepo`, `imgrepo-synth` and the
/// tests open catalogues through it; a new driver is a case here.
public enum CatalogueRegistry {
    /// The schemes it knows, as messages list them.
    public static let schemes = ["sqlite", "mysql", "mariadb"]

    /// How a catalogue is opened, besides its URL.
    public struct Options: Sendable {
        /// Create the catalogue when there is none (`RepositoryServices.openCatalogue`'s contract).
        public var create: Bool
        /// SQLite's page cache, for bulk loads (`SQLiteMetadataStore.init`); nil: the default.
        public var sqliteCacheMebibytes: Int?

        public init(create: Bool = true, sqliteCacheMebibytes: Int? = nil) {
            self.create = create; self.sqliteCacheMebibytes = sqliteCacheMebibytes
        }
    }

    /// Opens the catalogue at `url`. A relative SQLite path is inside `repositoryRoot`.
    /// `password` is asked only for a server's catalogue (never from the URL: `MySQLLocation`
    /// refuses one there), so SQLite commands never need it.
    /// - Throws: `invalidArgument` for a URL that is not one, an unknown scheme, or `sqlite:`
    ///   naming no file; the drivers' errors (`databaseUnavailable`, `catalogueMissing`, ...).
    public static func open(_ url: String, repositoryRoot: String, options: Options = Options(),
                            password: () throws -> String?) throws -> any MetadataStore {
        guard let colon = url.firstIndex(of: ":") else {
            throw ImgrepoError.invalidArgument(value: url, reason: "not a database URL (expected sqlite:PATH)")
        }
        let scheme = url[..<colon].lowercased()
        var rest = String(url[url.index(after: colon)...])
        switch scheme {
        case "sqlite":
            if rest.hasPrefix("//") { rest.removeFirst(2) }
            if rest.isEmpty { throw ImgrepoError.invalidArgument(value: url, reason: "names no file (sqlite:PATH, e.g. sqlite:catalog.sqlite)") }
            let path = rest.hasPrefix("/") ? rest : repositoryRoot + "/" + rest
            return try SQLiteMetadataStore(path: path, create: options.create, cacheMebibytes: options.sqliteCacheMebibytes)
        case "mysql", "mariadb":
            let location = try MySQLLocation(url: url)
            return try MySQLMetadataStore(location: location, password: try password(), create: options.create)
        default:
            throw ImgrepoError.invalidArgument(
                value: url, reason: "unknown database scheme '\(scheme)' (supported: \(schemes.joined(separator: ", ")))")
        }
    }
}
