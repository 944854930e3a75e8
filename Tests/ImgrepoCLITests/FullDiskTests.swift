import Foundation
import ImgrepoFixtures
import Testing

/// Issue 23, item 5: a fatal repository error in the *first* window of an upload used to print no
/// per-file line, no --json event and no summary; thumbnails that could not be cached after the
/// rows committed made the run exit 74 with zero events; and on a full disk even `list`, `get`
/// and `verify` failed with 69, because SQLite could not grow the catalogue's -shm file.
@Suite struct FullDiskTests {
    /// A sandbox whose repository lives on a tmpfs of `size`, unmounted when `body` returns.
    func onSmallDisk(_ size: String, _ body: (Sandbox, String) throws -> Void) throws {
        let box = try Sandbox()
        let mountPoint = box.root.path + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try #require(try shell(["mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", mountPoint]).status == 0, "mount tmpfs")
        defer { _ = try? shell(["umount", mountPoint]) }
        box.environment["IMGREPO_REPO"] = mountPoint + "/repo"
        try body(box, mountPoint)
    }

    /// Fills the filesystem at `mountPoint` to the last block.
    func fill(_ mountPoint: String) throws {
        _ = try shell(["dd", "if=/dev/zero", "of=\(mountPoint)/filler", "bs=4k"])
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func aFullDiskInTheFirstWindowReportsEveryFileAndReadsStillWork() throws {
        try onSmallDisk("1m") { box, mountPoint in
            let small = try box.file("small.jpg", Fixtures.jpeg(width: 40, height: 30, seed: 1))
            #expect(try box.run(["upload", small]).status == 0)
            try fill(mountPoint)
            let inputs = try (0..<3).map { try box.file("in/\($0).jpg", Fixtures.jpeg(width: 300, height: 200, seed: UInt32(10 + $0))) }

            let r = try box.run(["upload", "--json", box.root.path + "/in"])
            #expect(r.status == 74, "\(r.stderr)")
            let events = r.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(events.count == 3, "one event per file: \(r.out)")
            #expect(events.map { $0["status"] as? String } == ["failed", "failed", "failed"])
            #expect(Set(events.compactMap { $0["path"] as? String }) == Set(inputs))
            #expect(r.errLines.last?.contains("3 files: 0 stored, 0 duplicates, 0 skipped, 3 failed") == true, "\(r.stderr)")
            let table = try box.run(["upload", box.root.path + "/in"])
            #expect(table.lines.count == 3 && table.lines.allSatisfy { $0.hasPrefix("failed ") }, "\(table.out)")

            // Reading needs no room.
            let list = try box.run(["list", "--format", "ndjson", "--fields", "name"])
            #expect(list.status == 0 && list.lines == ["{\"name\":\"small.jpg\"}"], "\(list.stderr)")
            #expect(try box.run(["get", "1", "-o", box.root.path + "/back.jpg"]).status == 0)
            #expect(try box.run(["details", "1", "--json"]).status == 0)
            let verify = try box.run(["verify"])
            #expect(verify.status == 0, "\(verify.stderr)")
            // Writing says why, with the I/O exit status.
            let delete = try box.run(["delete", "1"])
            #expect(delete.status == 74 && delete.stderr.contains("no space left"), "\(delete.stderr)")
            #expect(try box.run(["list", "--count"]).out == "1\n")
        }
    }

    @Test func thumbnailsThatCannotBeCachedDoNotFailACommittedUpload() throws {
        let box = try Sandbox()
        #expect(try box.run(["init"]).status == 0)
        // A file where the cache folder should be: every thumbnail write fails.
        try? FileManager.default.removeItem(atPath: box.repo + "/thumbnails")
        _ = try box.file("repo/thumbnails", [0])
        let files = try (0..<2).map { try box.file("in/\($0).jpg", Fixtures.jpeg(width: 60, height: 40, seed: UInt32(20 + $0))) }

        let r = try box.run(["upload", "--json", "--thumbnails", "64"] + files)
        #expect(r.status == 0, "\(r.stderr)")
        let events = r.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.map { $0["status"] as? String } == ["stored", "stored"], "\(r.out)")
        #expect(events.allSatisfy { (($0["warnings"] as? [String]) ?? []).contains { $0.contains("not cached") } }, "\(r.out)")
        #expect(try box.run(["list", "--count"]).out == "2\n")
    }
}
