import Foundation
import ImgrepoCore
import Testing

/// `imgrepo --version` and `--version --json`: one version, written in Version.swift, with a
/// CHANGELOG.md entry; plain `--version` stays cheap, the JSON asks every library.
@Suite struct VersionTests {
    @Test func versionIsTheOneInVersionSwift() throws {
        let result = try Sandbox().run(["--version"])
        #expect(result.status == 0)
        #expect(result.out == imgrepoVersion + "\n")
    }

    @Test func changelogHasAnEntryForTheVersion() throws {
        let changelog = try String(contentsOf: packageRoot.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let headings = changelog.split(separator: "\n").filter { $0.hasPrefix("## ") }
        // "## 0.1.0 — 2026-11-24": the version, then a space or the end of the line.
        let entry = headings.first { $0 == "## \(imgrepoVersion)" || $0.hasPrefix("## \(imgrepoVersion) ") }
        #expect(entry != nil, "CHANGELOG.md has no '## \(imgrepoVersion)' heading; headings: \(headings)")
    }

    /// The dynamic loader's log (LD_DEBUG=files) of the shared objects a run loads.
    func loadedObjects(_ arguments: [String], environment: [String: String] = [:]) throws -> (Sandbox.Result, String) {
        let result = try Sandbox().run(arguments, environment: environment.merging(["LD_DEBUG": "files"]) { $1 })
        return (result, result.stderr)
    }

    @Test func plainVersionLoadsNoLazyLibrary() throws {
        let (result, log) = try loadedObjects(["--version"])
        #expect(result.status == 0)
        #expect(log.contains("file="), "LD_DEBUG gave no loader log to check")
        for library in ["libgd.so", "libmariadb.so", "libcrypto.so", "libjpeg.so"] {
            #expect(!log.contains("file=\(library)"), "--version loaded \(library)")
        }
    }

    @Test func jsonReportsSchemasAndEveryLibrary() throws {
        let box = try Sandbox()
        let result = try box.run(["--version", "--json"])
        #expect(result.status == 0)
        let object = try #require(try box.json(result) as? [String: Any])
        #expect(object["version"] as? String == imgrepoVersion)
        #expect(object["schema_version"] as? Int == 2)
        #expect(object["catalogue_schema_version"] is Int)
        #expect(object["repository_format"] as? Int == RepositoryConfiguration.currentFormat)
        let libraries = try #require(object["libraries"] as? [String: Any])
        #expect(Set(libraries.keys) == ["sqlite", "libcrypto", "libexif", "libgd", "libmariadb"])
        // The test machine has every library installed (scripts/install-deps.sh).
        let sqlite = try #require(libraries["sqlite"] as? String)
        #expect(sqlite.split(separator: ".").count == 3 && sqlite.first?.isNumber == true)
        #expect((libraries["libexif"] as? String)?.hasPrefix("libexif.so.") == true)
        #expect((libraries["libgd"] as? String)?.hasPrefix("2.") == true)
        #expect((libraries["libmariadb"] as? String)?.first?.isNumber == true)
        #expect((libraries["libcrypto"] as? String)?.hasPrefix("OpenSSL") == true)
    }

    @Test func aLibraryThatCannotBeLoadedIsNull() throws {
        // Empty files named like the libraries come first on the search path: dlopen fails on them.
        let box = try Sandbox()
        let folder = box.root.path + "/broken-libraries"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["libgd.so.3", "libmariadb.so.3", "libcrypto.so.3"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data()))
        }
        let result = try box.run(["--version", "--json"], environment: ["LD_LIBRARY_PATH": folder])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let libraries = try #require((try box.json(result) as? [String: Any])?["libraries"] as? [String: Any])
        for name in ["libgd", "libmariadb", "libcrypto"] {
            #expect(libraries[name] is NSNull, "\(name): \(String(describing: libraries[name]))")
        }
        #expect(libraries["sqlite"] is String)
    }
}

/// The package's root folder (README.md, CHANGELOG.md, Makefile), found from this file.
let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
