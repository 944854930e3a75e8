import Foundation
import ImgrepoCore
@testable import ImgrepoMySQL
import Testing

/// A session the server dropped between two calls is re-opened once, and the call retried
/// (a server that is gone for good is ImgrepoCLITests' MySQLFaultTests). Runs against the test server
/// (`IMGREPO_TEST_MYSQL_URL`, `IMGREPO_DB_PASSWORD`), which it does not stop.
@Suite(.enabled(if: TestServer.base != nil, "IMGREPO_TEST_MYSQL_URL is not set"))
struct ReconnectionTests {
    static var base: MySQLLocation? { TestServer.base }
    static var password: String? { TestServer.password }

    /// A store on a fresh database, and the function that drops it.
    func makeStore() throws -> (MySQLMetadataStore, () -> Void) {
        var location = try #require(Self.base)
        let name = "imgrepo_rc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try MySQLConnection(location: location, password: Self.password, selectDatabase: false)
            .execute("CREATE DATABASE \(name) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin")
        location.database = String(name)
        let drop = { [base = Self.base!] in
            _ = try? MySQLConnection(location: base, password: Self.password, selectDatabase: false)
                .execute("DROP DATABASE IF EXISTS \(name)")
        }
        return (try MySQLMetadataStore(location: location, password: Self.password), drop)
    }

    func image(_ n: Int) -> NewImage {
        NewImage(sha512: String(repeating: String(n % 10), count: 128), originalName: "img\(n).jpg", originalPath: nil,
                 owner: "test", uploadedAt: Timestamp(microseconds: 1_700_000_000_000_000), byteSize: 10, format: .jpeg,
                 width: 1, height: 1, exif: ExifData(status: .absent, summary: ExifSummary(), tags: [], warnings: []))
    }

    /// Kills `store`'s session from a second session, as a server restart or `wait_timeout` would.
    func killSession(of store: MySQLMetadataStore) throws -> String {
        let id = try #require(try store.connection.query("SELECT CONNECTION_ID()").first?.first ?? nil)
        try MySQLConnection(location: Self.base!, password: Self.password, selectDatabase: false).execute("KILL \(id)")
        return id
    }

    @Test func aSessionKilledBetweenTwoCallsIsReopenedOnce() throws {
        let (store, drop) = try makeStore()
        defer { drop() }
        #expect(try store.insert(image(1)) == .stored(id: 1))
        let killed = try killSession(of: store)
        // Reads and writes both come back on a new session, with the cached statements prepared again.
        #expect(try store.count() == 1)
        let fresh = try store.connection.query("SELECT CONNECTION_ID()").first?.first ?? nil
        #expect(fresh != killed, "a new session")
        _ = try killSession(of: store)
        #expect(try store.insert(image(2)) == .stored(id: 2))
        _ = try killSession(of: store)
        #expect(try store.image(id: 1)?.originalName == "img1.jpg")
        #expect(try store.count() == 2)
    }
}

/// The server named by the environment (scripts/mariadb-test-server.sh env).
enum TestServer {
    static let base: MySQLLocation? = ProcessInfo.processInfo.environment["IMGREPO_TEST_MYSQL_URL"]
        .flatMap { try? MySQLLocation(url: $0) }
    static let password = ProcessInfo.processInfo.environment["IMGREPO_DB_PASSWORD"]
}
