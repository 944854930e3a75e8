import Foundation
import ImageProbe
import ImgrepoFixtures
import Testing

/// `imgrepo thumbnail` end to end: outputs, the cache and its keys, delete/prune/verify of
/// cached thumbnails, `upload --thumbnails`, and every bad input with its exit status. The
/// pixels themselves are checked in ImgrepoThumbnailTests.
@Suite struct ThumbnailCommandTests {
    func upload(_ box: Sandbox, _ name: String, _ bytes: [UInt8], _ extra: [String] = []) throws {
        let path = try box.file(name, bytes)
        let r = try box.run(["upload"] + extra + [path])
        #expect(r.status == 0, "\(r.stderr)")
    }

    func cacheFiles(_ box: Sandbox) -> [String] {
        let base = box.repo + "/thumbnails"
        return ((FileManager.default.enumerator(atPath: base)?.allObjects as? [String]) ?? [])
            .filter { $0.contains("/") }.sorted()
    }

    /// The pixel size a thumbnail's header states (ImageProbe, no decoding).
    func pixelSize(_ data: Data) throws -> (Int, Int) {
        let info = try #require(ImageInspector.inspect([UInt8](data)), "not an image: \(data.prefix(16).map { $0 })")
        return (try #require(info.width), try #require(info.height))
    }

    @Test(arguments: CatalogueDriver.all) func stdoutFileAndCache(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        try upload(box, "a.jpg", Fixtures.jpeg(width: 400, height: 300, seed: 3))
        let first = try box.run(["thumbnail", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect(try pixelSize(first.stdout) == (256, 192))
        #expect(cacheFiles(box).count == 1)
        // A hit gives the same bytes, and --json says so.
        let again = try box.run(["thumbnail", "1"])
        #expect(again.stdout == first.stdout)
        let out = box.root.path + "/t.jpg"
        let json = try box.run(["thumbnail", "1", "-o", out, "--json"])
        let record = try #require(try box.json(json) as? [String: Any])
        #expect(record["cached"] as? Bool == true)
        #expect(record["width"] as? Int == 256 && record["height"] as? Int == 192)
        #expect(record["format"] as? String == "jpeg" && record["quality"] as? Int == 85)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == first.stdout)
        // Another size, format and quality are other keys.
        #expect(try box.run(["thumbnail", "1", "--size", "100", "--format", "png"]).status == 0)
        #expect(try box.run(["thumbnail", "1", "--size", "100", "--format", "webp", "--quality", "50"]).status == 0)
        #expect(cacheFiles(box).count == 3)
        // --no-cache neither reads nor writes it.
        let uncached = try box.run(["thumbnail", "1", "--size", "64", "--no-cache", "-o", out, "--json"])
        #expect((try box.json(uncached) as? [String: Any])?["cached"] as? Bool == false)
        #expect(cacheFiles(box).count == 3)
    }

    @Test func neverEnlargesAndFitsBoxes() throws {
        let box = try Sandbox()
        try upload(box, "small.png", Fixtures.png(width: 40, height: 30, seed: 4))
        #expect(try pixelSize(try box.run(["thumbnail", "1", "--size", "1000"]).stdout) == (40, 30))
        try upload(box, "wide.jpg", Fixtures.jpeg(width: 640, height: 480, seed: 5))
        #expect(try pixelSize(try box.run(["thumbnail", "2", "--fit", "320x120"]).stdout) == (160, 120))
        #expect(try pixelSize(try box.run(["thumbnail", "2", "--fit", "100x300"]).stdout) == (100, 75))
    }

    @Test func orientationSwapsTheSize() throws {
        let box = try Sandbox()
        // Stored as 48×64 pixels with orientation 6: seen (and thumbnailed) as 64×48.
        try upload(box, "rotated.jpg", Fixtures.orientedJPEG(orientation: 6, width: 64, height: 48))
        let list = try #require(try box.json(try box.run(["list", "--json"])) as? [[String: Any]])
        #expect(list.first?["width"] as? Int == 48 && list.first?["height"] as? Int == 64)
        let r = try box.run(["thumbnail", "1", "--size", "32"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try pixelSize(r.stdout) == (32, 24))
    }

    @Test func severalIdsGoToAFolder() throws {
        let box = try Sandbox()
        try upload(box, "a.jpg", Fixtures.jpeg(width: 300, height: 200, seed: 1))
        try upload(box, "b.png", Fixtures.png(width: 300, height: 200, seed: 2))
        let folder = box.root.path + "/out"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let r = try box.run(["thumbnail", "1", "2", "--size", "64", "-o", folder + "/", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count == 2)
        #expect(FileManager.default.fileExists(atPath: folder + "/1-64.jpg"))
        #expect(FileManager.default.fileExists(atPath: folder + "/2-64.jpg"))
        #expect(try box.run(["thumbnail", "1", "--fit", "64x32", "-o", folder]).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/1-64x32.jpg"))
        // Several ids without a folder is a usage error, and writes nothing.
        let bad = try box.run(["thumbnail", "1", "2"])
        #expect(bad.status == 64)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.contains("-o DIR/"))
        // One unknown id among good ones: the others are made, the exit status says so.
        let partial = try box.run(["thumbnail", "1", "99", "2", "--size", "48", "-o", folder + "/"])
        #expect(partial.status == 4)
        #expect(partial.errLines == ["imgrepo: 99: no such image"])
        #expect(FileManager.default.fileExists(atPath: folder + "/2-48.jpg"))
    }

    @Test(arguments: CatalogueDriver.all) func deletePruneAndVerify(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        try upload(box, "a.jpg", Fixtures.jpeg(width: 300, height: 200, seed: 1))
        try upload(box, "b.jpg", Fixtures.jpeg(width: 300, height: 200, seed: 2))
        for id in ["1", "2"] { #expect(try box.run(["thumbnail", id, "--size", "64"]).status == 0) }
        #expect(try box.run(["thumbnail", "1", "--size", "32"]).status == 0)
        #expect(cacheFiles(box).count == 3)
        #expect(try box.run(["verify"]).status == 0)
        // delete drops the image's thumbnails and only those.
        #expect(try box.run(["delete", "1"]).status == 0)
        #expect(cacheFiles(box).count == 1)
        // verify finds a damaged entry and a stray file; --repair removes both.
        let entry = box.repo + "/thumbnails/" + cacheFiles(box)[0]
        try Data("not a jpeg".utf8).write(to: URL(fileURLWithPath: entry))
        try Data().write(to: URL(fileURLWithPath: box.repo + "/thumbnails/stray.jpg"))
        // A well-formed entry of an image nobody has (as a crash inside delete would leave).
        let unknown = box.repo + "/thumbnails/ff/" + String(repeating: "e", count: 126) + ".64x64.q85.a1.jpg"
        try FileManager.default.createDirectory(atPath: box.repo + "/thumbnails/ff", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: box.root.path + "/a.jpg", toPath: unknown)
        let check = try box.run(["verify", "--json"])
        #expect(check.status == 6)
        let findings = try box.json(check) as? [[String: Any]] ?? []
        let kinds = findings.compactMap { $0["kind"] as? String }.sorted()
        #expect(kinds == ["corrupt_thumbnail", "orphan_thumbnail", "orphan_thumbnail"])
        #expect(findings.contains { ($0["subject"] as? String)?.hasPrefix("thumbnails/ff/eee") == true
                                    && $0["detail"] as? String == "no catalogue row has its image" })
        #expect(try box.run(["verify", "--repair"]).status == 0)
        #expect(cacheFiles(box).isEmpty)
        #expect(try box.run(["verify"]).status == 0)
        // A damaged entry is never served: it is made again.
        #expect(try pixelSize(try box.run(["thumbnail", "2", "--size", "64"]).stdout) == (64, 43))
        let prune = try box.run(["thumbnail", "--prune", "--json"])
        #expect(prune.status == 0)
        #expect((try box.json(prune) as? [String: Any])?["files"] as? Int == 1)
        #expect(cacheFiles(box).isEmpty)
    }

    /// libpng warns on stderr by itself (libgd 2.3.3 gives it no warning handler); each warning
    /// must come out as one `imgrepo: warning:` line, in every command that decodes a PNG.
    @Test func libpngWarningsArePrefixed() throws {
        let box = try Sandbox()
        let path = try box.file("crc.png", Fixtures.pngWithBadAncillaryCRC())
        let runs = [
            try box.run(["upload", "--thumbnails", "16", path]),
            try box.run(["thumbnail", "--no-cache", "-o", box.root.path + "/t.png", "1"]),
            try box.run(["index"]),
        ]
        for r in runs {
            #expect(r.status == 0, "\(r.stderr)")
            for line in r.errLines {
                #expect(line.hasPrefix("imgrepo: "), "unprefixed stderr line: \(line)")
            }
        }
        #expect(runs[1].errLines == ["imgrepo: warning: png decoder: libpng: tEXt: CRC error"])
    }

    @Test(arguments: CatalogueDriver.all) func uploadMakesThumbnails(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let folder = box.root.path + "/photos"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for seed in 1...4 { _ = try box.file("photos/\(seed).jpg", Fixtures.jpeg(width: 320, height: 240, seed: UInt32(seed))) }
        _ = try box.file("photos/cut.jpg", Fixtures.truncatedJPEG(width: 200, height: 100, seed: 9))
        let r = try box.run(["upload", "--thumbnails", "64,128", "--allow-damaged", "--json", folder])
        #expect(r.status == 0, "\(r.stderr)")
        // 4 good images × 2 sizes; the damaged one is stored with a warning and no thumbnail.
        #expect(cacheFiles(box).count == 8)
        let events = r.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let cut = try #require(events.first { ($0["path"] as? String)?.hasSuffix("cut.jpg") == true })
        #expect(cut["status"] as? String == "stored")
        #expect((cut["warnings"] as? [String])?.contains { $0.contains("thumbnail 64x64") && $0.contains("cannot decode") } == true)
        // Served from the cache now: cached = true, nothing decoded.
        let hit = try box.run(["thumbnail", "1", "--size", "128", "-o", box.root.path + "/x.jpg", "--json"])
        #expect((try box.json(hit) as? [String: Any])?["cached"] as? Bool == true)
        // A rerun (every file known) makes thumbnails of another size from the stored blobs.
        let rerun = try box.run(["upload", "--thumbnails", "32", "--allow-damaged", folder])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(cacheFiles(box).count == 12)
    }

    @Test func badInputs() throws {
        let box = try Sandbox()
        try upload(box, "a.jpg", Fixtures.jpeg(width: 100, height: 80, seed: 1))
        try upload(box, "cut.jpg", Fixtures.truncatedJPEG(width: 200, height: 100, seed: 5), ["--allow-damaged"])
        try upload(box, "bomb.png", Fixtures.pngHeaderBomb())
        let before = try box.snapshot()
        let cases: [([String], Int32, String)] = [
            (["thumbnail", "9"], 4, "9: no such image"),
            (["thumbnail", "1", "--size", "0"], 64, "thumbnail size must be 1 to 16384"),
            (["thumbnail", "1", "--size", "20000"], 64, "thumbnail size must be 1 to 16384"),
            (["thumbnail", "1", "--format", "gif"], 64, "--format gif: not a thumbnail format"),
            (["thumbnail", "1", "--format", "png", "--quality", "50"], 64, "png is lossless"),
            (["thumbnail", "1", "--quality", "101"], 64, "quality must be 1 to 100"),
            (["thumbnail", "1", "--fit", "10by20"], 64, "expected WIDTHxHEIGHT"),
            (["thumbnail", "1", "--fit", "10x20", "--size", "5"], 64, "not both"),
            (["thumbnail", "1", "--max-pixels", "lots"], 64, "--max-pixels lots"),
            (["thumbnail", "1", "--json"], 64, "--json: needs -o"),
            (["thumbnail", "1", "-o", box.root.path + "/missing/"], 73, "folder does not exist"),
            (["thumbnail", "2"], 65, "image 2: cannot decode"),
            (["thumbnail", "3"], 65, "megapixel"),
            (["thumbnail", "1", "--max-pixels", "0.001M"], 65, "image 1: cannot decode"),
            (["thumbnail", "--prune", "1"], 64, "--prune: takes no ids"),
            (["thumbnail"], 64, "give at least one image id"),
        ]
        for (arguments, status, message) in cases {
            let r = try box.run(arguments)
            #expect(r.status == status, "\(arguments): \(r.stderr)")
            #expect(r.errLines.count == 1 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(arguments)")
        }
        // Nothing was cached for the failures, nothing else changed.
        #expect(cacheFiles(box).isEmpty)
        #expect(try box.snapshot() == before)
        // The header bomb is refused from its header: fast and small (no 16 GiB canvas).
        let bomb = try box.run(["thumbnail", "3"], prefix: ["/usr/bin/time", "-f", "%M"])
        let peakKiB = Int(bomb.errLines.last ?? "") ?? Int.max
        #expect(peakKiB < 100 * 1024, "peak \(peakKiB) KiB")
    }
}
