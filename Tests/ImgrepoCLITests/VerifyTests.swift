import Foundation
import ImgrepoFixtures
import Testing

/// `imgrepo verify`: findings on stdout in the shared output formats, a summary on stderr,
/// exit 0 when clean (or everything found was repaired) and 6 when problems remain.
@Suite struct VerifyTests {
    /// A sandbox whose repository holds `count` images; returns their SHA-512s in upload order.
    func seeded(_ count: Int = 3, driver: CatalogueDriver = .sqlite) throws -> (Sandbox, [String]) {
        let box = try Sandbox(driver: driver)
        var shas: [String] = []
        for i in 0..<count {
            let path = try box.file("in\(i).jpg", Fixtures.jpeg(width: 32 + i, height: 24, seed: UInt32(40 + i)))
            let r = try box.run(["upload", path])
            #expect(r.status == 0, "seeding failed: \(r.stderr)")
            shas.append(String(try shell(["sha512sum", path]).out.prefix(128)))
        }
        return (box, shas)
    }

    func blob(_ box: Sandbox, _ sha: String) -> String {
        "\(box.repo)/objects/\(sha.prefix(2))/\(sha.dropFirst(2))"
    }

    /// The ndjson lines of a run, parsed.
    func findings(_ result: Sandbox.Result) throws -> [[String: Any]] {
        try result.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func age(_ path: String, seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -seconds)], ofItemAtPath: path)
    }

    @Test(arguments: CatalogueDriver.all) func cleanRepositoryExitsZeroWithAnEmptyJSONArray(driver: CatalogueDriver) throws {
        let (box, _) = try seeded(2, driver: driver)
        let r = try box.run(["verify", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.out == "[]\n")
        // Not a terminal: no progress, only the summary.
        #expect(r.errLines.count == 1)
        #expect(r.stderr.hasPrefix("imgrepo: verified 2 images (2 re-hashed, "))
        #expect(r.stderr.hasSuffix("2 files in objects/, 0 in thumbnails/, 0 in tmp/: no problems\n"))
    }

    @Test func quickVerifyHashesNothing() throws {
        let (box, _) = try seeded(2)
        let r = try box.run(["verify", "--quick"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("verified 2 images (0 re-hashed, 0 B)"))
    }

    @Test func problemsArePrintedOnePerLineAndExitSix() throws {
        let (box, shas) = try seeded(3)
        try FileManager.default.removeItem(atPath: blob(box, shas[0]))
        let corrupt = blob(box, shas[1])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: corrupt)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: corrupt))
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        try box.file("repo/objects/stray", [1, 2, 3])
        try age(try box.file("repo/tmp/upload-999999999-cafe", [0]), seconds: 3600)

        let r = try box.run(["verify", "--format", "ndjson"])
        #expect(r.status == 6, "\(r.stderr)")
        let rows = try findings(r)
        #expect(rows.map { $0["kind"] as? String } == ["missing_blob", "corrupt_blob", "orphan_blob", "stale_temp"])
        #expect(rows.map { $0["subject"] as? String } == [shas[0], shas[1], "objects/stray", "tmp/upload-999999999-cafe"])
        #expect(rows.allSatisfy { $0["repaired"] as? Bool == false && ($0["detail"] as? String)?.isEmpty == false })
        #expect(rows.allSatisfy { Set($0.keys) == ["kind", "subject", "detail", "repaired"] })
        #expect(r.errLines.count == 1)
        #expect(r.stderr.hasPrefix("imgrepo: verified 3 images (2 re-hashed, "))
        #expect(r.stderr.hasSuffix("), 3 files in objects/, 0 in thumbnails/, 1 in tmp/: 4 problems\n"))

        // --repair removes the garbage, keeps the broken images: problems remain, exit 6.
        let repair = try box.run(["verify", "--repair", "--force", "--format", "ndjson"])
        #expect(repair.status == 6)
        #expect(try findings(repair).map { $0["repaired"] as? Bool } == [false, false, true, true])
        #expect(repair.errLines.first?.hasSuffix(": 4 problems, 2 repaired") == true)
        #expect(repair.errLines.last?.hasPrefix("imgrepo: orphan blobs were moved to quarantine/") == true)

        let drop = try box.run(["verify", "--repair", "--force", "--drop-missing", "--format", "ndjson"])
        #expect(drop.status == 0, "\(drop.stderr)")
        #expect(try findings(drop).map { $0["kind"] as? String } == ["missing_blob", "corrupt_blob"])
        #expect(try findings(drop).allSatisfy { $0["repaired"] as? Bool == true })

        let after = try box.run(["verify", "--json"])
        #expect(after.status == 0)
        #expect(after.out == "[]\n")
        #expect(try box.run(["list", "--format", "ndjson", "--fields", "sha512"]).lines == ["{\"sha512\":\"\(shas[2])\"}"])
    }

    @Test func repairOfGarbageOnlyExitsZeroAndVerifiesCleanAfterwards() throws {
        let (box, shas) = try seeded(2)
        try box.file("repo/objects/ab/" + String(repeating: "0", count: 126), [9])
        try age(try box.file("repo/tmp/write-1-beef", [0]), seconds: 86400)
        let before = try box.run(["verify"])
        #expect(before.status == 6)
        #expect(before.lines.first?.hasPrefix("KIND") == true)
        #expect(before.lines.count == 3)

        let repair = try box.run(["verify", "--repair", "--force", "--json"])
        #expect(repair.status == 0, "\(repair.stderr)")
        let rows = try #require(try box.json(repair) as? [[String: Any]])
        #expect(rows.map { $0["kind"] as? String } == ["orphan_blob", "stale_temp"])
        #expect(rows.map { $0["subject"] as? String } == ["ab" + String(repeating: "0", count: 126), "tmp/write-1-beef"])
        #expect(repair.errLines.first?.hasSuffix(": 2 problems, 2 repaired") == true)

        let after = try box.run(["verify", "--json"])
        #expect(after.status == 0)
        #expect(after.out == "[]\n")
        for sha in shas { #expect(FileManager.default.fileExists(atPath: blob(box, sha))) }
    }

    @Test func tempFileOfALiveUploadIsLeftAlone() throws {
        let (box, _) = try seeded(1)
        // The test runner is alive, and is not the verifying process.
        let path = try box.file("repo/tmp/upload-\(ProcessInfo.processInfo.processIdentifier)-0011223344556677", [1, 2])
        let r = try box.run(["verify", "--repair", "--force", "--json"])
        #expect(r.status == 0)
        #expect(r.out == "[]\n")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func truncatedBlobIsFoundByQuick() throws {
        let (box, shas) = try seeded(2)
        let path = blob(box, shas[1])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 100)
        try handle.close()
        let r = try box.run(["verify", "--quick", "--format", "ndjson"])
        #expect(r.status == 6)
        let rows = try findings(r)
        #expect(rows.map { $0["kind"] as? String } == ["size_mismatch"])
        #expect((rows.first?["detail"] as? String)?.contains("blob is 100 bytes") == true)
    }

    @Test func sampleOfAllFindsAFlippedByteAndAQuickCheckDoesNot() throws {
        let (box, shas) = try seeded(2)
        let path = blob(box, shas[0])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[200] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        let sampled = try box.run(["verify", "--sample", "100%", "--format", "ndjson"])
        #expect(sampled.status == 6)
        #expect(try findings(sampled).map { $0["kind"] as? String } == ["corrupt_blob"])
        #expect(try box.run(["verify", "--quick"]).status == 0)
        #expect(try box.run(["verify", "--sample", "0"]).status == 0)
    }

    // SQLite only from here on where the catalogue file itself is damaged: a MySQL catalogue
    // has no file in the repository to corrupt.
    @Test func corruptedCatalogueIsReportedAndNothingRemoved() throws {
        let (box, shas) = try seeded(30)
        try box.file("repo/objects/stray", [1])
        // Each imgrepo run closes its connection, checkpointing the WAL into the file.
        let catalogue = box.repo + "/catalog.sqlite"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: catalogue)[.size] as? Int)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: catalogue))
        // The start of the b-tree page in the middle of the file (SQLite pages are 4 KiB here).
        try handle.seek(toOffset: UInt64(size / 4096 / 2 * 4096))
        try handle.write(contentsOf: [UInt8](repeating: 0xFF, count: 512))
        try handle.close()

        // SQLite opens the file (its header, schema and schema-version pages are intact), but
        // PRAGMA integrity_check stops with SQLITE_CORRUPT, "database disk image is malformed",
        // rather than listing problems: one `database` finding, exit 6, not 69. The malformed name is still an orphan and
        // removed; no blob is removed on the word of a damaged catalogue.
        let r = try box.run(["verify", "--repair", "--force", "--drop-missing", "--format", "ndjson"])
        #expect(r.status == 6, "\(r.stderr)")
        let rows = try findings(r)
        #expect(rows.map { $0["kind"] as? String } == ["database", "orphan_blob"])
        #expect((rows.first?["detail"] as? String)?.contains("malformed") == true)
        #expect(rows.last?["repaired"] as? Bool == true)
        for sha in shas { #expect(FileManager.default.fileExists(atPath: blob(box, sha))) }
    }

    @Test func unreadableCatalogueIsUnavailable() throws {
        let (box, _) = try seeded(1)
        // A catalogue that cannot be opened at all (its header gone) is not verify's to judge.
        let catalogue = box.repo + "/catalog.sqlite"
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: catalogue))
        try handle.write(contentsOf: [UInt8](repeating: 0x41, count: 100))
        try handle.close()
        let r = try box.run(["verify"])
        #expect(r.status == 69)
        #expect(r.errLines.count == 1)
    }

    @Test(arguments: [
        (["verify", "--drop-missing"], "--drop-missing"),
        (["verify", "--sample", "150%"], "--sample 150%"),
        (["verify", "--sample", "many"], "--sample many"),
        (["verify", "--quick", "--sample", "5%"], "contradict"),
        (["verify", "--fields", "kind"], "--fields"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let (box, _) = try seeded(1)
        let r = try box.run(arguments)
        #expect(r.status == 64)
        #expect(r.errLines.count == 1)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func helpListsTheExitStatuses() throws {
        let box = try Sandbox()
        let r = try box.run(["verify", "--help"])
        #expect(r.status == 0)
        #expect(r.out.contains("EXIT STATUS"))
        #expect(r.out.contains("6    verify found problems"))
    }
}
