import Foundation
import ImgrepoFixtures
import Testing

/// A MariaDB server of the fault tests' own (scripts/mariadb-test-server.sh with
/// IMGREPO_MARIADB_DIR=.build-mariadb-faults, on another port), which they stop, SIGKILL and
/// restart: the shared test server, which other tests use at the same time, is never touched.
struct FaultServer {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let directory = packageRoot + "/.build-mariadb-faults"

    /// Runs the server script with `command` (start, stop, env).
    @discardableResult
    static func script(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: packageRoot + "/scripts/mariadb-test-server.sh")
        process.arguments = [command]
        var environment = ProcessInfo.processInfo.environment
        environment["IMGREPO_MARIADB_DIR"] = directory
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "mariadb-test-server.sh \(command) failed"])
        }
        return out
    }

    let url: String
    let password: String

    /// Starts the server (creating it on first use) and reads its URL and password.
    static func start() throws -> FaultServer {
        try script("start")
        let password = try String(contentsOfFile: directory + "/password", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try String(contentsOfFile: directory + "/port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return FaultServer(url: "mysql://image_repo_admin@127.0.0.1:\(port)/image_repo_db", password: password)
    }

    static func stop() throws { try script("stop") }

    /// SIGKILLs mariadbd, as a crash or the OOM killer would.
    static func kill9() throws {
        let pid = try String(contentsOfFile: directory + "/mariadbd.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(kill(pid_t(pid)!, SIGKILL) == 0)
        while kill(pid_t(pid)!, 0) == 0 { usleep(10_000) }
    }

    /// A sandbox whose repository's catalogue is a fresh database on this server.
    func sandbox() throws -> Sandbox {
        let box = try Sandbox()
        let database = "imgrepo_fault_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        box.environment["IMGREPO_DATABASE"] = url.replacing("/image_repo_db", with: "/\(database)")
        box.environment["IMGREPO_DB_PASSWORD"] = password
        // The catalogue makes its tables on first use.
        try FaultServer.sql("CREATE DATABASE \(database) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin")
        return box
    }

    /// Runs `statement` as the server's root over its private socket.
    static func sql(_ statement: String) throws {
        let result = try shell(["mariadb", "--no-defaults", "--protocol=socket", "--socket=\(directory)/mariadbd.sock",
                                "-uroot", "-e", statement])
        try #require(result.status == 0, "mariadb -e \(statement)")
    }
}

/// The server failing under imgrepo: not running, refusing the password, killed in the middle
/// of a batch. Serialized, since they stop and restart their server; each stops it at the end.
@Suite(.serialized, .enabled(if: MySQLTestServer.shared != nil, "IMGREPO_TEST_MYSQL_URL is not set (MySQL tests are off)"))
struct MySQLFaultTests {
    /// Every file under the repository with its size and modification time.
    func listing(_ box: Sandbox) throws -> [String] {
        let fm = FileManager.default
        return try (fm.subpathsOfDirectory(atPath: box.repo)).sorted().map { entry in
            let attributes = try fm.attributesOfItem(atPath: box.repo + "/" + entry)
            return "\(entry) \(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }
    }

    @Test func serverNotRunningIsUnavailableNamingHostAndPortAndWritesNothing() throws {
        let server = try FaultServer.start()
        defer { try? FaultServer.stop() }
        let box = try server.sandbox()
        #expect(try box.run(["init"]).status == 0)
        let photo = try box.file("a.jpg", Fixtures.jpeg(width: 20, height: 10, seed: 1))
        #expect(try box.run(["upload", photo]).status == 0)
        let before = try listing(box)
        try FaultServer.stop()
        let other = try box.file("b.jpg", Fixtures.jpeg(width: 20, height: 10, seed: 2))
        let hostPort = try #require(server.url.firstMatch(of: /@([^\/]+)\//)?.1)
        for arguments in [["upload", other], ["list"], ["details", "1"], ["verify"]] {
            let r = try box.run(arguments)
            #expect(r.status == 69, "\(arguments): \(r.stderr)")
            #expect(r.errLines.count == 1 && r.stderr.contains(String(hostPort)), "names host and port: \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(try listing(box) == before, "nothing written in the repository")
    }

    @Test func wrongPasswordIsUnavailableWithoutThePassword() throws {
        let server = try FaultServer.start()
        defer { try? FaultServer.stop() }
        let box = try server.sandbox()
        #expect(try box.run(["init"]).status == 0)
        let wrong = "Wr0ng-but-distinctive-\(UUID().uuidString)"
        let r = try box.run(["list"], environment: ["IMGREPO_DB_PASSWORD": wrong])
        #expect(r.status == 69)
        #expect(r.stderr.contains("Access denied") && r.stderr.contains("image_repo_admin"), "\(r.stderr)")
        #expect(!r.stderr.contains(wrong) && !r.stderr.contains(server.password))
    }

    /// The server is SIGKILLed between two windows of a 200-file batch: the first window (64
    /// files, committed) is reported stored and is in the catalogue. The next window's commit
    /// finds the session gone and the one reconnection fails: one message names the server,
    /// every other file is reported failed with it, and the exit status is 69 (unavailable).
    /// After a restart, rerunning completes the batch with each image stored once.
    @Test func serverKilledMidBatchThenARerunCompletesIt() throws {
        let server = try FaultServer.start()
        defer { try? FaultServer.stop() }
        let box = try server.sandbox()
        #expect(try box.run(["init"]).status == 0)
        // Window one is files 0–63; standard input ('-') comes next and holds the batch
        // there: imgrepo reads it only once window one is committed, so the test kills the
        // server then, and the stdin upload finds it gone. (A FIFO, which this used, is refused
        // as an input since issue 23.)
        var files = try (0..<199).map { i in
            try box.file("in/img\(String(format: "%03d", i)).png", Fixtures.png(width: 6 + i % 7, height: 5 + i % 5, seed: UInt32(7000 + i)))
        }
        files.insert("-", at: 64)
        let slowBytes = Fixtures.png(width: 9, height: 9, seed: 9999)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Sandbox.binary)
        process.arguments = ["upload", "--json"] + files
        process.environment = box.environment
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        let writer = inPipe.fileHandleForWriting
        var committed = 0
        for _ in 0..<600 where committed < 64 {
            committed = Int(try box.run(["list", "--count"]).out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if committed < 64 { usleep(50_000) }
        }
        #expect(committed == 64, "window one is committed")
        try FaultServer.kill9()
        try writer.write(contentsOf: Data(slowBytes))
        try writer.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 69, "the catalogue is unavailable: \(err)")
        let events = String(decoding: out, as: UTF8.self).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["type"] == nil }
        let stored = events.filter { $0["status"] as? String == "stored" }.compactMap { $0["path"] as? String }
        let failed = events.filter { $0["status"] as? String == "failed" }.compactMap { $0["path"] as? String }
        #expect(stored == Array(files[0..<64]), "the committed window, and only it")
        #expect(failed == Array(files[64...]), "every file not stored is reported failed")
        #expect(err.split(separator: "\n").filter { $0.contains("database unavailable") }.count == 1, "said once: \(err)")
        let hostPort = try #require(server.url.firstMatch(of: /@([^\/]+)\//)?.1)
        #expect(err.contains("database unavailable") && err.contains(String(hostPort)), "\(err)")
        let blobs = try FileManager.default.subpathsOfDirectory(atPath: box.repo + "/objects").filter { $0.count > 3 }

        _ = try FaultServer.start()
        let listed = try box.run(["list", "--format", "tsv", "--no-headers", "--fields", "path"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.lines == stored, "what was reported stored is catalogued, and nothing else")
        // The failed window's blobs were linked before its commit, and with the server gone
        // imgrepo could not make sure they were orphans, so it kept them: garbage that verify
        // explains (and --repair removes), which the rerun adopts.
        let check = try box.run(["verify", "--quick", "--format", "ndjson"])
        let kinds = check.lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["kind"] as? String }
        #expect(kinds == Array(repeating: "orphan_blob", count: blobs.count - 64), "\(check.out)")

        files[64] = try box.file("in/slow.png", slowBytes)
        let rerun = try box.run(["upload"] + files)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.lines.filter { $0.hasPrefix("duplicate ") }.count == 64)
        #expect(rerun.lines.filter { $0.hasPrefix("stored ") }.count == 136)
        let hashes = try box.run(["list", "--format", "tsv", "--no-headers", "--fields", "sha512"]).lines
        #expect(hashes.count == 200 && Set(hashes).count == 200, "each image once")
        let allBlobs = try FileManager.default.subpathsOfDirectory(atPath: box.repo + "/objects").filter { $0.count > 3 }
        #expect(allBlobs.count == 200, "no blob twice, none left over")
        #expect(try box.run(["verify"]).status == 0)
    }
}
