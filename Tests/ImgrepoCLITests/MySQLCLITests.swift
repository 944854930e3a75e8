import Foundation
import ImgrepoFixtures
import Testing

/// What only a MySQL/MariaDB catalogue has: its URL recorded by `init`, its password kept out of
/// every output, `password_file`, and `migrate-catalog` between SQLite and MySQL. Runs on the
/// test server (`IMGREPO_TEST_MYSQL_URL`); the shared CLI flows run on both drivers elsewhere.
@Suite(.enabled(if: MySQLTestServer.shared != nil, "IMGREPO_TEST_MYSQL_URL is not set"))
struct MySQLCLITests {
    func configText(_ box: Sandbox) throws -> String {
        try String(contentsOfFile: box.repo + "/config", encoding: .utf8)
    }

    /// Writes the user's settings file.
    func settings(_ box: Sandbox, _ text: String) throws {
        try box.file("home/.config/imgrepo/config.toml", Array(text.utf8))
    }

    @Test func initRecordsTheURLAndLaterCommandsFindIt() throws {
        let box = try Sandbox(driver: .mysql)
        let url = try #require(box.databaseURL)
        box.environment["IMGREPO_DATABASE"] = nil
        let initialised = try box.run(["init", "--database", url])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(try configText(box).contains("database = \"\(url)\""))
        #expect(!FileManager.default.fileExists(atPath: box.repo + "/catalog.sqlite"), "no SQLite catalogue made")
        // No flag, no variable: the repository's config names the server.
        let photo = try box.file("a.jpg", Fixtures.jpeg(width: 20, height: 10, seed: 1))
        #expect(try box.run(["upload", photo]).lines == ["stored 1 a.jpg"])
        #expect(try box.run(["list", "--count"]).out == "1\n")
        #expect(!FileManager.default.fileExists(atPath: box.repo + "/catalog.sqlite"))
    }

    /// The password appears in no stdout or stderr of a whole session, successes and failures
    /// alike, nor in the repository's config. (It is never in argv: imgrepo takes none there.)
    @Test func thePasswordNeverAppearsInAnyOutput() throws {
        let box = try Sandbox(driver: .mysql)
        let password = try #require(box.environment["IMGREPO_DB_PASSWORD"])
        try #require(password.count >= 12, "a distinctive password, unlikely to appear by chance")
        let url = try #require(box.databaseURL)
        let a = try box.file("a.jpg", Fixtures.jpeg(width: 20, height: 10, seed: 1, exif: .sample))
        let b = try box.file("b.png", Fixtures.png(width: 8, height: 8, seed: 2))
        var results: [(String, Sandbox.Result)] = []
        func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Sandbox.Result {
            let r = try box.run(arguments, environment: environment)
            results.append((arguments.joined(separator: " "), r))
            return r
        }
        #expect(try run(["init"]).status == 0)
        #expect(try run(["upload", "--json", a, b]).status == 0)
        #expect(try run(["upload", a]).status == 0)
        #expect(try run(["list"]).status == 0)
        #expect(try run(["list", "--json"]).status == 0)
        #expect(try run(["details", "--json", "1"]).status == 0)
        #expect(try run(["details", "2"]).status == 0)
        #expect(try run(["stats", "--json"]).status == 0)
        #expect(try run(["verify"]).status == 0)
        #expect(try run(["verify", "--json"]).status == 0)
        #expect(try run(["--version"]).status == 0)
        #expect(try run(["--version", "--json"]).status == 0)
        #expect(try run(["upload", "--help"]).status == 0)
        // Failing connections: nobody listening, a wrong password, a password put in the URL.
        let refused = try run(["list", "--database", url.replacing(/:\d+\//, with: ":1/")])
        #expect(refused.status == 69 && refused.stderr.contains("127.0.0.1:1/"), "\(refused.stderr)")
        let wrong = try run(["list"], environment: ["IMGREPO_DB_PASSWORD": "not-" + password])
        #expect(wrong.status == 69 && wrong.stderr.contains("Access denied"), "\(wrong.stderr)")
        let inURL = try run(["list", "--database", url.replacing("@", with: ":\(password)@")])
        #expect(inURL.status == 64 && inURL.stderr.contains("IMGREPO_DB_PASSWORD"), "\(inURL.stderr)")
        for (command, r) in results {
            #expect(!r.out.contains(password) && !r.stderr.contains(password), "imgrepo \(command) shows the password")
        }
        #expect(try !configText(box).contains(password))
    }

    @Test func passwordFileIsReadWhenTheVariableIsUnsetAndMustBePrivate() throws {
        let box = try Sandbox(driver: .mysql)
        let password = try #require(box.environment["IMGREPO_DB_PASSWORD"])
        box.environment["IMGREPO_DB_PASSWORD"] = nil
        let file = try box.file("home/.config/imgrepo/db-password", Array((password + "\n").utf8))
        try settings(box, "password_file = \"\(file)\"\n")
        // Group-readable: refused with the fix in the message, and nothing connects.
        chmod(file, 0o640)
        let open = try box.run(["init"])
        #expect(open.status == 78, "\(open.stderr)")
        #expect(open.stderr.contains(file) && open.stderr.contains("chmod 600 \(file)"), "\(open.stderr)")
        #expect(!open.stderr.contains(password))
        chmod(file, 0o600)
        #expect(try box.run(["init"]).status == 0)
        let photo = try box.file("a.jpg", Fixtures.jpeg(width: 20, height: 10, seed: 1))
        let upload = try box.run(["upload", photo])
        #expect(upload.status == 0, "\(upload.stderr)")
        // The variable wins over the file.
        let wrong = try box.run(["list", "--count"], environment: ["IMGREPO_DB_PASSWORD": "wrong"])
        #expect(wrong.status == 69)
        // A SQLite repository never reads the file, however it is set.
        chmod(file, 0o644)
        let sqlite = try box.run(["list", "--count", "--repo", box.root.path + "/other", "--database", "sqlite:catalog.sqlite"])
        #expect(sqlite.status == 69 || sqlite.status == 0, "\(sqlite.stderr)")
        #expect(!sqlite.stderr.contains("chmod"))
    }

    /// SQLite → MySQL → SQLite: ids, names and tags survive both ways, and the highest id
    /// given; the config follows; the old catalogue stays; a non-empty target is refused.
    @Test func migrateCatalogBothWays() throws {
        let box = try Sandbox(driver: .mysql)
        let url = try #require(box.databaseURL)
        box.environment["IMGREPO_DATABASE"] = nil
        let files = try (0..<5).map { try box.file("in/\($0).jpg", Fixtures.jpeg(width: 20 + $0, height: 10, seed: UInt32($0), exif: .sample)) }
        #expect(try box.run(["upload"] + files).status == 0)
        #expect(try box.run(["upload", try box.file("copy.jpg", Array(try Data(contentsOf: URL(fileURLWithPath: files[0]))))]).status == 0)
        #expect(try box.run(["delete", "2"]).status == 0)
        func state() throws -> String {
            try ["1", "3", "4", "5"].map { try box.run(["details", "--json", $0]).out }.joined()
                + box.run(["list", "--json"]).out
        }
        let before = try state()
        #expect(before.contains("copy.jpg") && before.contains("\"exif_tags\""))

        let there = try box.run(["migrate-catalog", "--to", url])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stderr.contains("copied 4 images, 5 names"), "\(there.stderr)")
        #expect(try configText(box).contains("database = \"\(url)\""))
        #expect(FileManager.default.fileExists(atPath: box.repo + "/catalog.sqlite"), "the old catalogue is left in place")
        #expect(try state() == before)
        let next = try box.run(["upload", try box.file("new.png", Fixtures.png(width: 8, height: 8, seed: 9))])
        #expect(next.lines == ["stored 6 new.png"], "ids continue after the copied ones")
        #expect(try box.run(["delete", "6"]).status == 0)

        // Back into the old file: it holds exactly this catalogue's images, as a migration killed
        // part-way leaves them, so the copy resumes there instead of being refused.
        let resumed = try box.run(["migrate-catalog", "--to", "sqlite:catalog.sqlite"])
        #expect(resumed.status == 0 && resumed.stderr.contains("copied 0 images") && resumed.stderr.contains("after the 4"), "\(resumed.stderr)")
        #expect(try state() == before)
        let back = try box.run(["migrate-catalog", "--to", "sqlite:catalog-2.sqlite"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try configText(box).contains("database = \"sqlite:catalog-2.sqlite\""))
        #expect(try state() == before)
        #expect(try box.run(["verify"]).status == 0)
        // Image 6 was deleted on MySQL: its id is not given again after the way back.
        let last = try box.run(["upload", try box.file("last.png", Fixtures.png(width: 9, height: 8, seed: 10))])
        #expect(last.lines == ["stored 7 last.png"], "\(last.out) \(last.stderr)")
    }
}
