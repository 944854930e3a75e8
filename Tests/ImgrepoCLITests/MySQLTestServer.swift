import Foundation
@testable import ImgrepoMySQL
import Testing

/// The catalogue driver a CLI test runs imgrepo against. SQLite always; MySQL when
/// `IMGREPO_TEST_MYSQL_URL` and `IMGREPO_DB_PASSWORD` name a server the tests may create
/// databases on (scripts/mariadb-test-server.sh, started by scripts/test.sh). Tests that run
/// on both take `arguments: CatalogueDriver.all`.
enum CatalogueDriver: String, Sendable, CustomStringConvertible {
    case sqlite
    case mysql

    var description: String { rawValue }

    static var all: [CatalogueDriver] {
        if MySQLTestServer.shared != nil { return [.sqlite, .mysql] }
        MySQLTestServer.noteOnce()
        return [.sqlite]
    }
}

/// The MySQL/MariaDB server named by `IMGREPO_TEST_MYSQL_URL` and `IMGREPO_DB_PASSWORD`: each
/// MySQL sandbox gets a database of its own there.
struct MySQLTestServer: Sendable {
    static let urlVariable = "IMGREPO_TEST_MYSQL_URL"
    static let passwordVariable = "IMGREPO_DB_PASSWORD"

    let base: MySQLLocation
    let password: String?

    static let shared: MySQLTestServer? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment[urlVariable], !url.isEmpty, let base = try? MySQLLocation(url: url) else { return nil }
        return MySQLTestServer(base: base, password: environment[passwordVariable])
    }()

    static func required() throws -> MySQLTestServer {
        guard let shared else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(urlVariable) not set"]) }
        return shared
    }

    private static let note: Void = {
        FileHandle.standardError.write(Data("""
            note: ImgrepoCLITests run without MySQL: set \(urlVariable) and \(passwordVariable) \
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
        let name = "imgrepo_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try MySQLConnection(location: base, password: password, selectDatabase: false)
            .execute("CREATE DATABASE \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin")
        return name
    }

    func dropDatabase(_ name: String) {
        _ = try? MySQLConnection(location: base, password: password, selectDatabase: false)
            .execute("DROP DATABASE IF EXISTS \(name)")
    }
}

/// CI must not pass the CLI tests by silently leaving MySQL out.
@Suite struct CLIMySQLEnvironmentTests {
    @Test func continuousIntegrationRunsTheCLITestsAgainstMySQL() {
        let environment = ProcessInfo.processInfo.environment
        guard let ci = environment["CI"], !ci.isEmpty, ci != "false" else { return }
        #expect(MySQLTestServer.shared != nil, """
            CI is set but \(MySQLTestServer.urlVariable) / \(MySQLTestServer.passwordVariable) are not: \
            the CLI would go untested on MySQL (run scripts/test.sh, which starts a server)
            """)
        #expect(CatalogueDriver.all.contains(.mysql))
    }
}
