import Foundation
import ImgrepoFixtures
import Testing

/// Issue 4's batch upload through the binary: folders, path lists, skips, dry runs, events,
/// summaries and exit codes.
@Suite struct BatchUploadTests {
    /// photos/a.jpg, photos/b.png, photos/notes.txt, photos/.hidden.jpg, photos/2024/c.gif,
    /// photos/2024/deep/d.webp, and photos/link.jpg → a.jpg.
    func tree(_ box: Sandbox) throws -> String {
        let root = box.root.path + "/photos"
        try box.file("photos/a.jpg", Fixtures.jpeg(width: 20, height: 10, seed: 1))
        try box.file("photos/b.png", Fixtures.png(width: 20, height: 10, seed: 2))
        try box.file("photos/notes.txt", Array("not an image".utf8))
        try box.file("photos/.hidden.jpg", Fixtures.jpeg(width: 8, height: 8, seed: 3))
        try box.file("photos/2024/c.gif", Fixtures.gif(width: 8, height: 8, seed: 4))
        try box.file("photos/2024/deep/d.webp", Fixtures.webp(width: 8, height: 8, seed: 5))
        try FileManager.default.createSymbolicLink(atPath: root + "/link.jpg", withDestinationPath: root + "/a.jpg")
        return root
    }

    func events(_ r: Sandbox.Result) throws -> [[String: Any]] {
        try r.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func statuses(_ r: Sandbox.Result, relativeTo root: String) throws -> [String] {
        try events(r).filter { $0["type"] == nil }.map { event in
            let path = (event["path"] as? String ?? "").replacingOccurrences(of: root + "/", with: "")
            return "\(event["status"] as? String ?? "?") \(path)"
        }
    }

    @Test(arguments: CatalogueDriver.all) func walksFoldersInNameOrderSkippingWhatIsNotAnImage(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let root = try tree(box)
        let r = try box.run(["upload", "--json", root])
        #expect(r.status == 0, "skips are successes: \(r.stderr)")
        #expect(try statuses(r, relativeTo: root) == [
            "skipped .hidden.jpg", "stored 2024/c.gif", "stored 2024/deep/d.webp", "stored a.jpg", "stored b.png",
            "skipped link.jpg", "skipped notes.txt",
        ])
        let skipped = try events(r).filter { $0["status"] as? String == "skipped" }.map { $0["reason"] as? String ?? "" }
        #expect(skipped.contains { $0.contains("hidden") } && skipped.contains { $0.contains("symbolic link") }
                && skipped.contains { $0.contains("not an image") })
        #expect(r.stderr.contains("7 files: 4 stored, 0 duplicates, 3 skipped, 0 failed"), "summary on stderr: \(r.stderr)")
        // A rerun: every image is a duplicate, still exit 0.
        let again = try box.run(["upload", root])
        #expect(again.status == 0)
        #expect(again.lines.filter { $0.hasPrefix("duplicate ") }.count == 4)
    }

    @Test func depthHiddenLinksAndGlobs() throws {
        let box = try Sandbox()
        let root = try tree(box)
        let shallow = try box.run(["upload", "--json", "--dry-run", "--max-depth", "1", root])
        #expect(try statuses(shallow, relativeTo: root).contains("skip 2024"))
        #expect(!(try statuses(shallow, relativeTo: root)).contains { $0.contains("c.gif") })
        let all = try box.run(["upload", "--json", "--dry-run", "--hidden", "--follow-symlinks", root])
        let s = try statuses(all, relativeTo: root)
        #expect(s.contains("store .hidden.jpg") && s.contains("store link.jpg"))
        let globbed = try box.run(["upload", "--json", "--dry-run", "--include", "*.jpg", "--include", "*.gif", "--exclude", "deep", root])
        let g = try statuses(globbed, relativeTo: root)
        #expect(g.contains("store a.jpg") && g.contains("store 2024/c.gif"))
        #expect(g.contains("skip b.png") && g.contains("skip 2024/deep"))
    }

    @Test func symlinkLoopsAreDetected() throws {
        let box = try Sandbox()
        let root = try tree(box)
        try FileManager.default.createSymbolicLink(atPath: root + "/2024/loop", withDestinationPath: root)
        let r = try box.run(["upload", "--json", "--follow-symlinks", root])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try statuses(r, relativeTo: root).contains("skipped 2024/loop"))
    }

    @Test(arguments: CatalogueDriver.all) func pathsFromAFileOrStandardInput(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let root = try tree(box)
        let list = [root + "/a.jpg", root + "/2024/c.gif", "", root + "/b.png"].joined(separator: "\n") + "\n"
        let listFile = try box.file("list.txt", Array(list.utf8))
        let fromFile = try box.run(["upload", "--from-file", listFile])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.lines.count == 3)
        // find -print0 | imgrepo upload -0 --from-file -
        let find = try shell(["find", root, "-name", "*.webp", "-print0"])
        let nul = try box.run(["upload", "-0", "--from-file", "-"], stdin: Data(find.out.utf8))
        #expect(nul.status == 0, "\(nul.stderr)")
        #expect(nul.lines == ["stored 4 d.webp"])
    }

    @Test(arguments: CatalogueDriver.all) func explicitNonImageFailsAndThePartialExitCodeSaysSo(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let root = try tree(box)
        let r = try box.run(["upload", root + "/a.jpg", root + "/notes.txt"])
        #expect(r.status == 3)
        #expect(r.lines == ["stored 1 a.jpg", "failed \(root)/notes.txt: not an image (no known signature)"])
        let allFailed = try box.run(["upload", root + "/notes.txt"])
        #expect(allFailed.status == 65)
    }

    @Test(arguments: CatalogueDriver.all) func dryRunWritesNothing(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let root = try tree(box)
        // No repository yet: a dry run does not create one.
        let first = try box.run(["upload", "--dry-run", "--json", root])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.repo))
        #expect(try statuses(first, relativeTo: root).filter { $0.hasPrefix("store ") }.count == 4)
        #expect(try box.run(["upload", root + "/a.jpg"]).status == 0)
        let before = try box.snapshot()
        let second = try box.run(["upload", "--dry-run", "--json", root, root + "/notes.txt"])
        #expect(second.status == 3)
        let s = try statuses(second, relativeTo: root)
        #expect(s.contains("duplicate a.jpg") && s.contains("store b.png") && s.contains("skip notes.txt") && s.contains("fail notes.txt"))
        #expect(try box.snapshot() == before)
    }

    @Test(arguments: CatalogueDriver.all) func summaryAsJSONAndQuiet(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let root = try tree(box)
        let r = try box.run(["upload", "--json", "--summary-json", root])
        let summary = try #require(try events(r).last)
        #expect(summary["type"] as? String == "summary")
        #expect(summary["stored"] as? Int == 4 && summary["skipped"] as? Int == 3 && summary["failed"] as? Int == 0)
        #expect((summary["bytes"] as? Int ?? 0) > 0)
        #expect(!r.stderr.contains("files:"), "the summary is not repeated on stderr")
        let quiet = try box.run(["upload", "--quiet", root, root + "/notes.txt"])
        #expect(quiet.status == 3)
        #expect(quiet.lines == ["failed \(root)/notes.txt: not an image (no known signature)"])
        #expect(quiet.errLines.count == 1)
    }

    @Test(arguments: CatalogueDriver.all) func rerunsTrustTheCacheAndRehashReadsAgain(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let root = try tree(box)
        let a = root + "/a.jpg"
        // Entries for files modified within 2 s of being hashed are not trusted (racy git):
        // age the files first.
        #expect(try shell(["touch", "-d", "2020-01-01 12:00:00 UTC", a, root + "/b.png"]).status == 0)
        #expect(try box.run(["upload", a, root + "/b.png"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.root.path + "/home/.cache/imgrepo"), "the cache lives under XDG_CACHE_HOME/HOME")
        // Same size, same inode, same mtime, other bytes: only the cache can call this a duplicate.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: a)))
        bytes[bytes.count / 2] ^= 0x55
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: a))
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
        #expect(try shell(["touch", "-d", "2020-01-01 12:00:00 UTC", a]).status == 0)
        let cached = try box.run(["upload", a, root + "/b.png"])
        #expect(cached.lines == ["duplicate 1 a.jpg", "duplicate 2 b.png"], "a rerun does not read the files")
        let rehashed = try box.run(["upload", "--rehash", a])
        #expect(rehashed.lines == ["stored 3 a.jpg"], "--rehash reads the file and finds its new bytes")
        // A changed mtime alone is enough to hash again.
        #expect(try shell(["touch", "-d", "2021-06-01 08:00:00 UTC", root + "/b.png"]).status == 0)
        #expect(try box.run(["upload", root + "/b.png"]).lines == ["duplicate 2 b.png"])
    }

    @Test func progressOnlyOnATerminalOrWhenAsked() throws {
        let box = try Sandbox()
        let root = try tree(box)
        let plain = try box.run(["upload", root])
        #expect(!plain.stderr.contains("\u{1B}[K"), "no progress when stderr is not a terminal")
        let forced = try box.run(["upload", "--progress", "--rehash", root])
        #expect(forced.stderr.contains("\r\u{1B}[K") && forced.stderr.contains(" files"), "\(forced.stderr)")
        // The line is erased before the summary, which stands on a line of its own.
        #expect(forced.stderr.contains("\r\u{1B}[Kimgrepo: 7 files:"))
        let quiet = try box.run(["upload", "--progress", "--quiet", root])
        #expect(quiet.stderr.isEmpty)
    }
}
