import Foundation
import ImgrepoFixtures
import Testing

/// A repository the user can read but not write (another user's, a read-only mount, a backup):
/// every command that only reads works, every one that writes fails with exit 77 in one line,
/// and nothing in the repository changes, not even SQLite's `-wal` and `-shm` files.
///
/// Root ignores permission bits, so when the tests run as root the commands run as 'nobody'
/// (setpriv) against the repository root made; otherwise the repository is `chmod -R a-w`.
@Suite struct ReadOnlyRepositoryTests {
    struct ReadOnlyBox {
        let box: Sandbox
        /// setpriv's arguments when running as root, else nothing.
        let prefix: [String]
        /// A copy of imgrepo inside the sandbox ('nobody' may not enter the build folder).
        let binary: String
        /// Where the reader may write its output files.
        let out: String

        func run(_ arguments: [String]) throws -> Sandbox.Result {
            try box.run(arguments, prefix: prefix, binary: binary)
        }
    }

    /// Two images, the first with a cached 32 px thumbnail, then made read-only to the reader.
    func readOnlyBox() throws -> ReadOnlyBox {
        let box = try Sandbox()
        let first = try box.file("first.jpg", Fixtures.jpeg(width: 64, height: 48, seed: 31, exif: .sample))
        let second = try box.file("second.png", Fixtures.png(width: 40, height: 30, seed: 32))
        let upload = try box.run(["upload", first, second])
        #expect(upload.status == 0, "\(upload.stderr)")
        let hit = try box.run(["thumbnail", "1", "--size", "32", "-o", box.root.path + "/made.jpg"])
        #expect(hit.status == 0, "\(hit.stderr)")
        let out = box.root.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let binary = box.root.path + "/imgrepo"
        try FileManager.default.copyItem(atPath: Sandbox.binary, toPath: binary)
        for path in [box.root.path, box.root.path + "/home", binary] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: out)
        let root = getuid() == 0
        if !root { _ = try shell(["chmod", "-R", "a-w", box.repo]) }
        let prefix = root ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        return ReadOnlyBox(box: box, prefix: prefix, binary: binary, out: out)
    }

    /// Every file and folder under the repository with its size and modification time.
    func tree(_ repo: String) throws -> [String] {
        let fm = FileManager.default
        return try fm.subpathsOfDirectory(atPath: repo).sorted().map { sub in
            let attributes = try fm.attributesOfItem(atPath: repo + "/" + sub)
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(sub) \(attributes[.size] ?? 0) \(modified)"
        }
    }

    @Test func readingCommandsWork() throws {
        let ro = try readOnlyBox()
        let box = ro.box
        let list = try box.run(["list", "--json"]), details = try box.run(["details", "--json", "2"])
        let before = try tree(box.repo)
        #expect(!before.contains { $0.hasPrefix("catalog.sqlite-") }, "\(before)")

        let listed = try ro.run(["list", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.out == list.out)
        let detailed = try ro.run(["details", "--json", "2"])
        #expect(detailed.status == 0, "\(detailed.stderr)")
        #expect(detailed.out == details.out)
        let got = try ro.run(["get", "1", "-o", "-"])
        #expect(got.status == 0, "\(got.stderr)")
        #expect(got.stdout == (try Data(contentsOf: URL(fileURLWithPath: box.root.path + "/first.jpg"))))
        for arguments in [["stats", "--json"], ["verify"], ["duplicates", "--json"], ["list", "--format", "csv", "--camera", "Canon*"]] {
            let r = try ro.run(arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
        }

        // A cached thumbnail is served; one not cached is made and written, but not cached.
        let cached = try ro.run(["thumbnail", "1", "--size", "32", "-o", "-"])
        #expect(cached.status == 0, "\(cached.stderr)")
        #expect(cached.stdout == (try Data(contentsOf: URL(fileURLWithPath: box.root.path + "/made.jpg"))))
        let made = try ro.run(["thumbnail", "2", "--size", "32", "--json", "-o", ro.out + "/"])
        #expect(made.status == 0, "\(made.stderr)")
        let report = try box.json(made) as? [String: Any]
        #expect(report?["cached"] as? Bool == false, "\(made.out)")
        #expect(report?["width"] as? Int == 32 && report?["height"] as? Int == 24, "\(made.out)")
        #expect(FileManager.default.fileExists(atPath: ro.out + "/2-32.jpg"))

        #expect(try tree(box.repo) == before, "a reading command changed the repository")
    }

    @Test func writingCommandsAreRefused() throws {
        let ro = try readOnlyBox()
        let box = ro.box
        let photo = try box.file("third.gif", Fixtures.gif(width: 12, height: 12, seed: 33))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: photo)
        let before = try tree(box.repo)
        let target = ro.out + "/new.sqlite"
        for arguments in [["delete", "1"], ["thumbnail", "--prune"], ["index"], ["upload", photo],
                          ["migrate-catalog", "--to", "sqlite:" + target]] {
            let r = try ro.run(arguments)
            #expect(r.status == 77, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.errLines.count == 1 && r.stderr.hasPrefix("imgrepo: "), "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(box.repo) && r.stderr.contains("not writable"), "\(arguments): \(r.stderr)")
            #expect(try tree(box.repo) == before, "\(arguments) changed the repository")
        }
        #expect(!FileManager.default.fileExists(atPath: target), "migrate-catalog copied before finding it could not switch")
    }
}
