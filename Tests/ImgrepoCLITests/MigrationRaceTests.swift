import Foundation
import ImgrepoFixtures
import Testing

/// Issue 23, item 2: an upload that opened the catalogue before `migrate-catalog` switched it used
/// to print `stored ID` (exit 0) and commit into the old catalogue: the image vanished, its id was
/// given again, and `verify --repair` removed its blob. And a killed migration could not be run
/// again ("target not empty").
@Suite struct MigrationRaceTests {
    let verify = VerifyTests()

    /// Starts `imgrepo upload -` and feeds it the first half of a JPEG: it has opened the
    /// repository and is copying standard input into tmp/ when this returns.
    func uploadHalfway(_ box: Sandbox, _ bytes: [UInt8]) throws -> (Process, FileHandle, Pipe, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Sandbox.binary)
        process.arguments = ["upload", "-", "--name", "late.jpg"]
        process.environment = box.environment
        let input = Pipe(), output = Pipe()
        let errPath = box.root.path + "/.late-stderr"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        input.fileHandleForWriting.write(Data(bytes.prefix(bytes.count / 2)))
        // The temp file appears once the first bytes are known to be an image, after the
        // repository and its catalogue were opened.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, (try? FileManager.default.contentsOfDirectory(atPath: box.repo + "/tmp"))?.isEmpty ?? true {
            usleep(10_000)
        }
        return (process, input.fileHandleForWriting, output, errPath)
    }

    @Test func anUploadThatOpenedTheOldCatalogueWritesNothingThereAndSaysSo() throws {
        let (box, _) = try verify.seeded(2)
        let bytes = Fixtures.jpeg(width: 30, height: 20, seed: 77)
        let (process, input, output, errPath) = try uploadHalfway(box, bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.repo + "/tmp").count == 1, "the upload never started")

        let migrated = try box.run(["migrate-catalog", "--to", "sqlite:catalog-2.sqlite"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        input.write(Data(bytes.dropFirst(bytes.count / 2)))
        try input.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let err = try String(contentsOfFile: errPath, encoding: .utf8)

        // Whatever the upload says it stored must be in the catalogue the repository now uses.
        let listed = try box.run(["list", "--format", "ndjson", "--fields", "name"]).lines
        if out.hasPrefix("stored") {
            #expect(listed.contains("{\"name\":\"late.jpg\"}"), "reported \(out) but the catalogue lacks it")
        } else {
            #expect(process.terminationStatus == 69, "\(out) \(err)")
            #expect(err.contains("config") && err.contains("changed while this command ran"), "\(err)")
            #expect(listed.count == 2)
        }
        #expect(out.hasPrefix("stored") == false, "this interleaving must be refused: \(out)")
        // Nothing was committed into the old catalogue, and nothing is left behind.
        let old = try box.run(["list", "--count", "--database", "sqlite:catalog.sqlite"])
        #expect(old.out == "2\n", "\(old.out) \(old.stderr)")
        #expect(try box.run(["verify"]).status == 0)
        // Run again, it goes through.
        #expect(try box.run(["upload", "-", "--name", "late.jpg"], stdin: Data(bytes)).lines == ["stored 3 late.jpg"])
    }

    @Test func aKilledMigrationIsResumedAndAForeignTargetStillRefused() throws {
        let (box, _) = try verify.seeded(2)
        // What a migration killed part-way leaves: a target holding exactly the source's first
        // images. Made with real migrations: copy to partial.sqlite, move on to b.sqlite, and
        // upload a third image there, which partial.sqlite lacks.
        let partial = box.root.path + "/partial.sqlite"
        #expect(try box.run(["migrate-catalog", "--to", "sqlite:" + partial]).status == 0)
        #expect(try box.run(["migrate-catalog", "--to", "sqlite:b.sqlite"]).status == 0)
        let third = try box.run(["upload", try box.file("third.jpg", Fixtures.jpeg(width: 13, height: 9, seed: 31))])
        #expect(third.lines == ["stored 3 third.jpg"], "\(third.out) \(third.stderr)")

        let resumed = try box.run(["migrate-catalog", "--to", "sqlite:" + partial])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("copied 1 images") && resumed.stderr.contains("after the 2 an interrupted run had copied"), "\(resumed.stderr)")
        #expect(try box.run(["list", "--format", "ndjson", "--fields", "id,name"]).lines
            == ["{\"id\":1,\"name\":\"in0.jpg\"}", "{\"id\":2,\"name\":\"in1.jpg\"}", "{\"id\":3,\"name\":\"third.jpg\"}"])
        #expect(try box.run(["verify"]).status == 0)

        // A catalogue holding other images is still refused, and left as it was.
        let foreign = try Sandbox()
        #expect(try foreign.run(["upload", try foreign.file("x.jpg", Fixtures.jpeg(width: 11, height: 7, seed: 5))]).status == 0)
        let refused = try box.run(["migrate-catalog", "--to", "sqlite:" + foreign.repo + "/catalog.sqlite"])
        #expect(refused.status == 64 && refused.stderr.contains("not the start of a copy of this one"), "\(refused.stderr)")
        #expect(try foreign.run(["list", "--count"]).out == "1\n")
    }
}
