import Foundation
import ImgrepoFixtures
import Testing

/// Issue 23, item 10: killing the very first upload while it created the repository left a folder
/// without config that every command but `init` and `upload` refused. The config is now written
/// before the catalogue, so a kill after it leaves a repository any command can use.
@Suite struct RepositoryCreationTests {
    @Test func aRepositoryKilledBeforeItsCatalogueExistedIsUsableByAnyCommand() throws {
        let box = try Sandbox()
        #expect(try box.run(["init"]).status == 0)
        // The state a kill between config and catalogue leaves.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: box.repo + "/catalog.sqlite" + suffix) }
        let list = try box.run(["list", "--count"])
        #expect(list.status == 0 && list.out == "0\n", "\(list.stderr)")
        #expect(try box.run(["verify"]).status == 0)
        let upload = try box.run(["upload", try box.file("a.jpg", Fixtures.jpeg(width: 12, height: 8, seed: 1))])
        #expect(upload.lines == ["stored 1 a.jpg"], "\(upload.stderr)")
    }

    @Test func aRepositoryKilledBeforeItsConfigSaysSoAndUploadFinishesIt() throws {
        let box = try Sandbox()
        for folder in ["objects", "tmp"] { try FileManager.default.createDirectory(atPath: box.repo + "/" + folder, withIntermediateDirectories: true) }
        let list = try box.run(["list"])
        #expect(list.status == 69 && list.stderr.contains("creation was interrupted") && list.stderr.contains("imgrepo init"), "\(list.stderr)")
        let upload = try box.run(["upload", try box.file("a.jpg", Fixtures.jpeg(width: 12, height: 8, seed: 1))])
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(try box.run(["list", "--count"]).out == "1\n")
    }

    @Test func aCatalogueThatCannotBeCreatedLeavesNoConfigNamingIt() throws {
        let box = try Sandbox()
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let r = try box.run(["init", "--database", "mysql://nobody@127.0.0.1:1/photos"], environment: ["IMGREPO_DB_PASSWORD": "x"])
        #expect(r.status == 69, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.repo + "/config"))
        #expect(try box.run(["init"]).status == 0)
        #expect(try String(contentsOfFile: box.repo + "/config", encoding: .utf8).contains("sqlite:catalog.sqlite"))
    }

    /// A kill at random moments of a first upload: whatever it leaves, `list` either works or
    /// says creation was interrupted, and a rerun of the upload completes.
    @Test func killedAtRandomMomentsOfItsCreationARepositoryIsAlwaysUsableOrFinishable() throws {
        let box = try Sandbox()
        let files = try (0..<3).map { try box.file("in/\($0).jpg", Fixtures.jpeg(width: 40 + $0, height: 30, seed: UInt32(50 + $0))) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<15 {
            try? FileManager.default.removeItem(atPath: box.repo)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Sandbox.binary)
            process.arguments = ["upload"] + files
            process.environment = box.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0..<40_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard FileManager.default.fileExists(atPath: box.repo) else { continue }
            let list = try box.run(["list", "--count"])
            // Killed right after the folder was made, it is an empty folder like any other.
            let empty = (try? FileManager.default.contentsOfDirectory(atPath: box.repo))?.isEmpty == true
            #expect(list.status == 0 || list.stderr.contains("creation was interrupted")
                    || (empty && list.stderr.contains("create one with 'imgrepo init'")), "\(list.stderr)")
            let again = try box.run(["upload"] + files)
            #expect(again.status == 0, "\(again.stderr)")
            let count = try box.run(["list", "--count"])
            #expect(count.out == "3\n", "\(count.out) \(count.stderr) after: \(again.out) \(again.stderr)")
        }
    }
}
