import Foundation
import Testing

/// Runs the built `imgrepo` binary in a sandbox of its own: a temp HOME, XDG folders and
/// repository, so that tests run side by side and never touch the user's files.
/// Tests share one only when they read it; `environment` is changed only before first use.
///
/// With `driver: .mysql` the catalogue is a fresh database on the test server (dropped with
/// the sandbox), passed as `IMGREPO_DATABASE` with the password in `IMGREPO_DB_PASSWORD`: the
/// same commands then run against MySQL, and `init` records the URL in the repository's config.
final class Sandbox: @unchecked Sendable {
    let root: URL
    var repo: String { root.path + "/repo" }
    var environment: [String: String]
    let driver: CatalogueDriver
    /// The MySQL database of a `.mysql` sandbox.
    let database: String?
    /// The catalogue URL of a `.mysql` sandbox (no password in it).
    var databaseURL: String? { database.flatMap { MySQLTestServer.shared?.url(database: $0) } }

    /// The `imgrepo` executable built beside the test bundle (`swift build --build-tests`).
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["IMGREPO_BIN"] { return explicit }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test runner may live inside imgrepoPackageTests.xctest/ or beside it.
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("imgrepo").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return "imgrepo-binary-not-found-build-it-first"
    }()

    init(driver: CatalogueDriver = .sqlite) throws {
        self.driver = driver
        root = FileManager.default.temporaryDirectory.appendingPathComponent("imgrepo-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root.path + "/home", withIntermediateDirectories: true)
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": root.path + "/home",
            "XDG_CONFIG_HOME": root.path + "/home/.config",
            "XDG_DATA_HOME": root.path + "/home/.local/share",
            "IMGREPO_REPO": root.path + "/repo",
            "TZ": "UTC",
        ]
        switch driver {
        case .sqlite:
            database = nil
        case .mysql:
            let server = try MySQLTestServer.required()
            let name = try server.createDatabase()
            database = name
            environment["IMGREPO_DATABASE"] = server.url(database: name)
            environment["IMGREPO_DB_PASSWORD"] = server.password ?? ""
        }
    }

    deinit {
        if let database { MySQLTestServer.shared?.dropDatabase(database) }
        _ = try? Process.run(URL(fileURLWithPath: "/bin/chmod"), arguments: ["-R", "u+w", root.path]).waitUntilExit()
        try? FileManager.default.removeItem(at: root)
    }

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var lines: [String] { out.split(separator: "\n").map(String.init) }
        var errLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs imgrepo with `arguments`; `stdin` is fed to it (empty when nil); `prefix` runs it
    /// under another program (e.g. setpriv).
    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:],
             prefix: [String] = [], binary: String = Sandbox.binary) throws -> Result {
        let process = Process()
        let command = prefix + [binary] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = root
        // stdin and stderr go through files, so only stdout needs draining while it runs.
        let id = UUID().uuidString
        let inPath = root.path + "/.stdin-\(id)", errPath = root.path + "/.stderr-\(id)"
        try (stdin ?? Data()).write(to: URL(fileURLWithPath: inPath))
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: inPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let inHandle = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? inHandle.close(); try? errHandle.close() }
        let outPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = try Data(contentsOf: URL(fileURLWithPath: errPath))
        return Result(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Writes `bytes` to a file under the sandbox and returns its path.
    @discardableResult
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = root.path + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Parses stdout as JSON.
    func json(_ result: Result) throws -> Any {
        try JSONSerialization.jsonObject(with: result.stdout, options: [.fragmentsAllowed])
    }

    /// Everything that makes up the repository's state: the blobs with their contents' sizes,
    /// the temp folder, and the catalogue as `list --json` and each image's `details --json`
    /// show it. Equal snapshots mean "the repository is exactly as it was".
    func snapshot() throws -> String {
        var parts: [String] = []
        let fm = FileManager.default
        for folder in ["objects", "tmp"] {
            let base = repo + "/" + folder
            let entries = (fm.enumerator(atPath: base)?.allObjects as? [String] ?? []).sorted()
            for entry in entries {
                let attributes = try fm.attributesOfItem(atPath: base + "/" + entry)
                parts.append("\(folder)/\(entry) \(attributes[.size] ?? 0)")
            }
        }
        let list = try run(["list", "--json"])
        parts.append("list: \(list.status) \(list.out)")
        if let records = try? json(list) as? [[String: Any]] {
            for record in records {
                let id = record["id"] as! Int
                parts.append(try run(["details", "--json", String(id)]).out)
            }
        }
        return parts.joined(separator: "\n")
    }
}

/// Runs a command line outside imgrepo (sha512sum, exiftool) and returns its stdout.
func shell(_ arguments: [String]) throws -> (status: Int32, out: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
