import Foundation
import ImgrepoFixtures
import Testing

/// Files imgrepo reads (an input named on the command line or in a `--from-file` list, the
/// settings file, the repository's `config`) must be regular files: a FIFO, which would block
/// the open until some writer came, is refused at once with a one-line error naming it. `-`
/// (standard input) is still read from a pipe.
@Suite struct NonRegularInputTests {
    /// Every run is killed after a while, so that a command that blocks fails the test
    /// instead of hanging it.
    let deadline = ["/usr/bin/timeout", "-s", "KILL", "15"]

    func fifo(_ box: Sandbox, _ name: String) throws -> String {
        let path = box.root.path + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(mkfifo(path, 0o644) == 0)
        return path
    }

    @Test func fifoNamedAsAnInputIsRefused() throws {
        let box = try Sandbox()
        let pipe = try fifo(box, "pipe.jpg")
        let r = try box.run(["upload", pipe], prefix: deadline)
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.errLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(pipe + ": not a regular file"), "\(r.stderr)")
        // The same through a --from-file list, and in a dry run.
        let listed = try box.run(["upload", "-0", "--from-file", "-"], stdin: Data(pipe.utf8) + Data([0]), prefix: deadline)
        #expect(listed.status == 66, "\(listed.stderr)")
        #expect(listed.stderr.contains(pipe + ": not a regular file"), "\(listed.stderr)")
        let dry = try box.run(["upload", "--dry-run", pipe], prefix: deadline)
        #expect(dry.status == 66, "\(dry.stderr)")
        #expect(dry.stderr.contains(pipe + ": not a regular file"), "\(dry.stderr)")
    }

    @Test func standardInputMayStillBeAPipe() throws {
        let box = try Sandbox()
        let photo = try box.file("p.png", Fixtures.png(width: 20, height: 10, seed: 9))
        let r = try box.run(["upload", "-"], prefix: deadline + ["/bin/sh", "-c", "f=$0; cat \"$f\" | \"$@\"", photo])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines == ["stored 1 stdin"])
    }

    @Test func fifoAsTheSettingsFileIsRefused() throws {
        let box = try Sandbox()
        let settings = try fifo(box, "home/.config/imgrepo/config.toml")
        let r = try box.run(["list"], prefix: deadline)
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.errLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(settings) && r.stderr.contains("not a regular file"), "\(r.stderr)")
    }

    @Test func fifoAsTheRepositoryConfigIsRefused() throws {
        let box = try Sandbox()
        #expect(try box.run(["init"]).status == 0)
        try FileManager.default.removeItem(atPath: box.repo + "/config")
        _ = try fifo(box, "repo/config")
        let r = try box.run(["list"], prefix: deadline)
        #expect(r.status == 69, "\(r.stderr)")
        #expect(r.errLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(box.repo + "/config: not a regular file"), "\(r.stderr)")
    }
}
