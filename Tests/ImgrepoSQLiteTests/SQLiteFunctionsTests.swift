import ImgrepoCore
import ImgrepoSQL
@testable import ImgrepoSQLite
import Testing

/// The SQL functions the driver registers: distance, and the glob for patterns with NUL.
@Suite struct SQLiteFunctionsTests {
    func memoryConnection() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: ":memory:", readOnly: false)
        try SQLiteFunctions.register(on: connection.handle)
        return connection
    }

    @Test func distancesAreGreatCircleKilometres() throws {
        // Paris to London, and a quarter of the equator.
        #expect(abs(SQLiteFunctions.kilometres(48.8566, 2.3522, 51.5074, -0.1278) - 343.5) < 0.5)
        #expect(abs(SQLiteFunctions.kilometres(0, 0, 0, 90) - ImageQuerySQL.earthRadiusKilometres * .pi / 2) < 1e-6)
        #expect(SQLiteFunctions.kilometres(-17, 179.95, -17, -179.95) < 10.7)
        let connection = try memoryConnection()
        let fromSQL = try connection.prepare("SELECT imgrepo_km(48.8566, 2.3522, 51.5074, -0.1278), imgrepo_km(NULL, 0, 0, 0)")
            .firstRow { row in (row.double(), row.optionalDouble()) }
        #expect(fromSQL?.0 == SQLiteFunctions.kilometres(48.8566, 2.3522, 51.5074, -0.1278))
        #expect(fromSQL?.1 == nil)
    }

    /// The Swift glob agrees with SQLite's GLOB wherever GLOB can answer (no NUL).
    @Test func theSwiftGlobAgreesWithSQLite() throws {
        let connection = try memoryConnection()
        let patterns = ["*", "a*", "*b", "a?c", "[abc]x", "[^abc]x", "[a-c]*", "[]]x", "[^]]x", "a[", "a[b", "[-a]", "[a-]",
                        "*a*b*", "**", "?", "", "ü?", "[ü]", "\\*", "a]b", "[z-a]"]
        let texts = ["", "a", "ab", "abc", "ax", "bx", "dx", "]x", "-", "a[", "a[b", "ü", "üx", "\\x", "a]b", "cab", "ba", "aab"]
        let statement = try connection.prepare("SELECT ? GLOB ?, imgrepo_glob(?, ?)")
        for pattern in patterns {
            for text in texts {
                let (sqlite, swift) = try statement.firstRow([.text(text), .text(pattern), .text(pattern), .text(text)]) {
                    ($0.int64(), $0.int64())
                } ?? (-1, -2)
                #expect(sqlite == swift, "\(text.debugDescription) GLOB \(pattern.debugDescription)")
            }
        }
    }

    @Test func theSwiftGlobSeesPastNUL() throws {
        let connection = try memoryConnection()
        let statement = try connection.prepare("SELECT imgrepo_glob(?, ?)")
        func glob(_ pattern: String, _ text: String) throws -> Int64? { try statement.firstRow([.text(pattern), .text(text)]) { $0.int64() } }
        #expect(try glob("a\u{0}b", "a\u{0}b") == 1)
        #expect(try glob("a\u{0}b", "a") == 0)
        #expect(try glob("a\u{0}b", "a\u{0}c") == 0)
        #expect(try glob("a\u{0}*", "a\u{0}xyz") == 1)
        #expect(try glob("*", "\u{0}") == 1)
    }

    /// The box `near` puts around its circle never loses a point the distance keeps.
    @Test func nearsPrefilterKeepsEveryPointWithinTheDistance() throws {
        let connection = try memoryConnection()
        try connection.execute("CREATE TABLE images (id INTEGER PRIMARY KEY, gps_latitude REAL, gps_longitude REAL)")
        var random = SystemRandomNumberGenerator()
        let insert = try connection.prepare("INSERT INTO images (gps_latitude, gps_longitude) VALUES (?, ?)")
        try connection.writeTransaction {
            for _ in 0..<4_000 {
                // Crowd the poles and the antimeridian.
                let latitude = Bool.random(using: &random) ? Double.random(in: -90...90, using: &random)
                    : (Bool.random(using: &random) ? 1 : -1) * Double.random(in: 85...90, using: &random)
                let longitude = Bool.random(using: &random) ? Double.random(in: -180...180, using: &random)
                    : (Bool.random(using: &random) ? 1 : -1) * Double.random(in: 170...180, using: &random)
                try insert.run([.real(latitude), .real(longitude)])
            }
        }
        let centres: [(Double, Double)] = [(0, 0), (89.5, 10), (-89.9, -170), (60, 179.9), (-45, -179.5), (88, 180), (10, -180)]
        for (latitude, longitude) in centres {
            for kilometres in [1.0, 50, 300, 1_000, 5_000] {
                let near = ImageQuerySQL.near(latitude: latitude, longitude: longitude, kilometres: kilometres, dialect: .sqlite)
                let filtered = try connection.prepare("SELECT count(*) FROM images WHERE \(near.sql)").firstRow(near.arguments) { $0.int64() }
                let exact = try connection.prepare("SELECT count(*) FROM images WHERE imgrepo_km(?, ?, gps_latitude, gps_longitude) <= ?")
                    .firstRow([.real(latitude), .real(longitude), .real(kilometres)]) { $0.int64() }
                #expect(filtered == exact, "near \(latitude), \(longitude), \(kilometres) km")
            }
        }
    }
}
