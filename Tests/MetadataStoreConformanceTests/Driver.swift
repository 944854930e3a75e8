import Foundation
import ImgrepoCatalogues
import ImgrepoCore
@testable import ImgrepoMySQL
import ImgrepoSQLite

/// Every `MetadataStore` driver the suite runs against. A new driver is one case here plus its
/// branches in `makeCatalogue()` and `openStore(at:)`; every test takes `Driver.allCases`.
///
/// MySQL runs when `IMGREPO_TEST_MYSQL_URL` and `IMGREPO_DB_PASSWORD` name a server the tests
/// may create databases on (scripts/mariadb-test-server.sh, started by scripts/test.sh). Without
/// them it is left out, with a note; under CI, `MySQLEnvironmentTests` fails instead.
enum Driver: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case mysql

    var description: String { rawValue }

    static var allCases: [Driver] {
        if MySQLTestServer.shared != nil { return [.sqlite, .mysql] }
        MySQLTestServer.noteOnce()
        return [.sqlite]
    }

    /// A fresh, empty catalogue: a temporary folder (SQLite) or a new database (MySQL).
    func makeCatalogue() throws -> TestCatalogue {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("imgrepo-conformance-\(rawValue)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return TestCatalogue(driver: self, location: folder.path)
        case .mysql:
            let server = try MySQLTestServer.required()
            return TestCatalogue(driver: self, location: try server.createDatabase())
        }
    }

    /// A store on a fresh catalogue, and the function that removes the catalogue.
    func makeStore() throws -> (store: any MetadataStore, cleanup: @Sendable () -> Void) {
        let catalogue = try makeCatalogue()
        do {
            return (try catalogue.openStore(), catalogue.remove)
        } catch {
            catalogue.remove()
            throw error
        }
    }

    /// Opens a store on the catalogue at `location`; several stores may share one location, as
    /// several processes would.
    fileprivate func openStore(at location: String) throws -> any MetadataStore {
        // Through the registry, as imgrepo opens them: a URL per driver.
        let url = switch self {
        case .sqlite: "sqlite:" + location + "/catalogue.sqlite"
        case .mysql: try MySQLTestServer.required().url(database: location)
        }
        return try CatalogueRegistry.open(url, repositoryRoot: "/") { MySQLTestServer.shared?.password }
    }

    /// Whether the driver stores any text as an image's SHA-512. MySQL keeps the hash in a
    /// fixed-width, checked column and refuses anything but 128 lower-case hex digits.
    var acceptsAnyTextAsSHA512: Bool { self == .sqlite }
}

/// One catalogue that tests may open several stores on.
struct TestCatalogue: Sendable {
    let driver: Driver
    /// A folder (SQLite) or a database name (MySQL).
    let location: String

    func openStore() throws -> any MetadataStore {
        try driver.openStore(at: location)
    }

    @Sendable func remove() {
        switch driver {
        case .sqlite: try? FileManager.default.removeItem(atPath: location)
        case .mysql: MySQLTestServer.shared?.dropDatabase(location)
        }
    }
}

/// Runs `body` with a store on a fresh catalogue, removing the catalogue afterwards.
func withStore<T>(_ driver: Driver, _ body: (any MetadataStore) throws -> T) throws -> T {
    let (store, cleanup) = try driver.makeStore()
    defer { cleanup() }
    return try body(store)
}

/// The MySQL/MariaDB server named by `IMGREPO_TEST_MYSQL_URL` and `IMGREPO_DB_PASSWORD`; each
/// test gets a database of its own there, dropped afterwards.
struct MySQLTestServer: Sendable {
    static let urlVariable = "IMGREPO_TEST_MYSQL_URL"
    static let passwordVariable = "IMGREPO_DB_PASSWORD"

    let base: MySQLLocation
    let password: String?

    /// The configured server, or nil when the environment names none.
    static let shared: MySQLTestServer? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment[urlVariable], !url.isEmpty, let base = try? MySQLLocation(url: url) else { return nil }
        return MySQLTestServer(base: base, password: environment[passwordVariable])
    }()

    static func required() throws -> MySQLTestServer {
        guard let shared else { throw ImgrepoError.invalidArgument(value: urlVariable, reason: "not set") }
        return shared
    }

    private static let note: Void = {
        FileHandle.standardError.write(Data("""
            note: MetadataStoreConformanceTests run without MySQL: set \(urlVariable) and \(passwordVariable) \
            (scripts/mariadb-test-server.sh start; eval "$(scripts/mariadb-test-server.sh env)")\n
            """.utf8))
    }()

    static func noteOnce() { _ = note }

    /// `mysql://user@host:port/database`, as imgrepo takes it (no password).
    func url(database: String) -> String {
        "mysql://\(base.user)@\(base.host):\(base.port ?? MySQLLocation.defaultPort)/\(database)"
    }

    /// Creates an empty database with a unique name and returns the name.
    func createDatabase() throws -> String {
        let name = "imgrepo_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
        do {
            try MySQLConnection(location: base, password: password, selectDatabase: false)
                .execute("CREATE DATABASE \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin")
        } catch let error as MySQLError {
            throw error.imgrepoError(location: base)
        }
        return name
    }

    func dropDatabase(_ name: String) {
        _ = try? MySQLConnection(location: base, password: password, selectDatabase: false)
            .execute("DROP DATABASE IF EXISTS \(name)")
    }
}
