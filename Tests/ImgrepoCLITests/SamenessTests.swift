import Foundation
import ImgrepoFixtures
import Testing

/// Issue 8 end to end through the built binary, on every catalogue driver: `upload --dedup
/// pixels`, `index`, `similar`, `list --similar-to` and the three kinds of `duplicates`.
@Suite struct SamenessTests {
    /// A picture and copies of it: the same pixels with other metadata, a re-encode, and an
    /// unrelated picture. `FixturePicture.jpeg` puts the EXIF in an APP1 segment in front of
    /// the same encoded scan, so `withEXIF`, `bare` and `otherEXIF` decode to identical pixels.
    struct Set {
        let withEXIF, bare, otherEXIF, reencoded: [UInt8]
        init() {
            let picture = FixturePicture.shapes(width: 192, height: 128, seed: 11)
            // Upright: the sample's orientation 6 would turn the picture the perceptual hash sees.
            var upright = FixtureExif.sample
            upright.orientation = 1
            withEXIF = picture.jpeg(quality: 90, exif: upright)
            bare = picture.jpeg(quality: 90)
            var exif = upright
            exif.make = "NIKON CORPORATION"; exif.model = "NIKON Z 6"; exif.dateTimeOriginal = "2020:01:02 03:04:05"
            otherEXIF = picture.jpeg(quality: 90, exif: exif)
            reencoded = picture.resized(width: 144, height: 96).jpeg(quality: 60)
        }
        let unrelated = FixturePicture.gradient(width: 192, height: 128, seed: 4242).jpeg(quality: 90)
    }

    func ids(_ result: Sandbox.Result) -> [Int] { result.lines.compactMap { Int($0) } }

    @Test(arguments: CatalogueDriver.all) func dedupByPixelsIndexAndSimilar(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let set = Set()
        let a = try box.file("a.jpg", set.withEXIF), b = try box.file("b.jpg", set.bare)
        let c = try box.file("c.jpg", set.reencoded), d = try box.file("d.jpg", set.unrelated)

        // b has new bytes but a's pixels: a name of image 1, no blob of its own.
        let upload = try box.run(["upload", "--dedup", "pixels", "--json", a, b, c, d])
        #expect(upload.status == 0, "\(upload.stderr)")
        let events = upload.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.map { $0["status"] as? String } == ["stored", "same-pixels", "stored", "stored"])
        #expect(events[1]["id"] as? Int == 1)
        #expect(try box.run(["list", "--count"]).out == "3\n")
        let names = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])["names"] as? [[String: Any]]
        #expect(names?.map { $0["name"] as? String } == ["a.jpg", "b.jpg"])
        let blobs = FileManager.default.enumerator(atPath: box.repo + "/objects")?.allObjects
            .compactMap { $0 as? String }.filter { !$0.hasSuffix("/") && $0.count > 3 } ?? []
        #expect(blobs.count == 3, "\(blobs)")
        let verify = try box.run(["verify"])
        #expect(verify.status == 0, "\(verify.out) \(verify.stderr)")

        // (The perceptual hash was not asked for at upload: `index` computes it ahead of time;
        // a search without it computes it itself, `aSearchOnAFreshRepositoryComputesWhatIsMissing`.)
        let index = try box.run(["index", "--json"])
        #expect(index.status == 0, "\(index.stderr)")
        let summary = try #require(try box.json(index) as? [String: Any])
        #expect(summary["indexed"] as? Int == 3)
        #expect(summary["failed"] as? Int == 0)
        let again = try #require(try box.json(try box.run(["index", "--json"])) as? [String: Any])
        #expect(again["indexed"] as? Int == 0, "a second run finds nothing to do")

        // The re-encode is the nearest; the unrelated picture is not within the default distance.
        let similar = try #require(try box.json(try box.run(["similar", "1", "--json"])) as? [[String: Any]])
        #expect(similar.first?["id"] as? Int == 2, "\(similar)")
        #expect(!similar.contains { $0["id"] as? Int == 3 }, "\(similar)")
        #expect(similar.allSatisfy { ($0["distance"] as? Int ?? 99) <= 64 })
        #expect(ids(try box.run(["list", "--similar-to", "1", "--format", "tsv", "--no-headers", "--fields", "id"])) == [2])
        #expect(ids(try box.run(["list", "--similar-to", "1", "--max-distance", "64", "--format", "tsv", "--no-headers", "--fields", "id"])) == [2, 3])
        #expect(try box.run(["list", "--similar-to", "1", "--type", "png", "--count"]).out == "0\n", "combines with other filters")

        let phash = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])
        #expect((phash["phash"] as? String)?.count == 16)
        #expect((phash["pixel_sha512"] as? String)?.count == 128)
    }

    /// Issue 17: `imgrepo similar 6` on a fresh repository answers, rather than asking for
    /// `imgrepo index` first: the hashes that are missing are computed and kept; a read-only
    /// repository computes nothing, says how many images it cannot see, and still answers.
    @Test(arguments: CatalogueDriver.all) func aSearchOnAFreshRepositoryComputesWhatIsMissing(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let set = Set()
        let files = [try box.file("a.jpg", set.withEXIF), try box.file("c.jpg", set.reencoded), try box.file("d.jpg", set.unrelated)]
        #expect(try box.run(["upload"] + files).status == 0)

        let similar = try box.run(["similar", "1", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        #expect(similar.errLines == ["imgrepo: computed the perceptual hash of 3 images (kept for the next search)"], "\(similar.stderr)")
        #expect((try box.json(similar) as? [[String: Any]])?.first?["id"] as? Int == 2, "\(similar.out)")
        // Kept: the next search computes nothing, and neither does index.
        let again = try box.run(["list", "--similar-to", "1", "--format", "tsv", "--no-headers", "--fields", "id"])
        #expect(ids(again) == [2] && again.stderr.isEmpty, "\(again.stderr)")
        let index = try #require(try box.json(try box.run(["index", "--perceptual-hash", "--json"])) as? [String: Any])
        #expect(index["indexed"] as? Int == 0)

        // Pixel hashes likewise, for duplicates --by pixels.
        let pixels = try box.run(["duplicates", "--by", "pixels", "--json"])
        #expect(pixels.status == 0 && pixels.stderr.contains("computed the pixel hash of 3 images"), "\(pixels.stderr)")
    }

    @Test func aReadOnlyRepositoryAnswersFromTheImagesItHasHashesFor() throws {
        let box = try Sandbox()
        let set = Set()
        let first = [try box.file("a.jpg", set.withEXIF), try box.file("c.jpg", set.reencoded)]
        #expect(try box.run(["upload", "--fingerprints", "perceptual"] + first).status == 0)
        #expect(try box.run(["upload", try box.file("d.jpg", set.unrelated)]).status == 0)
        // Read-only to the reader, as ReadOnlyRepositoryTests makes it: 'nobody' when root.
        let binary = box.root.path + "/imgrepo"
        try FileManager.default.copyItem(atPath: Sandbox.binary, toPath: binary)
        for path in [box.root.path, box.root.path + "/home", binary] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        let root = getuid() == 0
        if !root { _ = try shell(["chmod", "-R", "a-w", box.repo]) }
        let prefix = root ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let before = try box.snapshot()

        let r = try box.run(["similar", "1", "--max-distance", "64", "--json"], prefix: prefix, binary: binary)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.errLines == ["imgrepo: 1 image has no perceptual hash and the repository is read-only: answered from the others"], "\(r.stderr)")
        #expect((try box.json(r) as? [[String: Any]])?.map { $0["id"] as? Int } == [2], "\(r.out)")
        // The reference itself, without a hash, gets one in memory.
        let third = try box.run(["similar", "3", "--max-distance", "64", "--json"], prefix: prefix, binary: binary)
        #expect(third.status == 0, "\(third.stderr)")
        #expect((try box.json(third) as? [[String: Any]])?.compactMap { $0["id"] as? Int }.sorted() == [1, 2], "\(third.out)")
        #expect(try box.snapshot() == before, "nothing was written")
    }

    @Test("upload --fingerprints of bytes already catalogued fills in the fingerprints the image lacks", arguments: CatalogueDriver.all)
    func fingerprintsForKnownBytes(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let set = Set()
        let a = try box.file("a.jpg", set.withEXIF)
        let copy = try box.file("copy/a.jpg", set.withEXIF)
        func fingerprints() throws -> (phash: String?, pixels: String?) {
            let record = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])
            return (record["phash"] as? String, record["pixel_sha512"] as? String)
        }
        // What a first upload with fingerprints stores, in another repository.
        let reference = try Sandbox(driver: driver)
        #expect(try reference.run(["upload", "--fingerprints", "all", try reference.file("a.jpg", set.withEXIF)]).status == 0)
        let expected = try #require(try reference.json(try reference.run(["details", "--json", "1"])) as? [String: Any])

        #expect(try box.run(["upload", a]).status == 0)
        #expect(try fingerprints().phash == nil)
        // The same path again: the ingest cache answers, the file is not read; the hash comes from the blob.
        let second = try box.run(["upload", "--fingerprints", "perceptual", a])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.out.hasPrefix("duplicate 1"), "\(second.out)")
        #expect(try fingerprints().phash == expected["phash"] as? String)
        #expect(try fingerprints().pixels == nil, "only what was asked")
        // Another path to the same bytes: read and hashed, a byte duplicate; the pixel hash is added.
        #expect(try box.run(["upload", "--fingerprints", "all", copy]).status == 0)
        let now = try fingerprints()
        #expect(now.phash == expected["phash"] as? String)
        #expect(now.pixels == expected["pixel_sha512"] as? String)
        #expect(now.pixels?.count == 128)
        #expect(try box.run(["list", "--count"]).out == "1\n")
        let index = try #require(try box.json(try box.run(["index", "--json"])) as? [String: Any])
        #expect(index["indexed"] as? Int == 0, "nothing left for index")
    }

    @Test(arguments: CatalogueDriver.all) func theThreeKindsOfDuplicates(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let set = Set()
        let a = try box.file("a.jpg", set.withEXIF), copy = try box.file("again/a-copy.jpg", set.withEXIF)
        let other = try box.file("other.jpg", set.otherEXIF), c = try box.file("c.jpg", set.reencoded)
        let d = try box.file("d.jpg", set.unrelated)
        // Without --dedup pixels, the same pixels under other bytes are stored again.
        #expect(try box.run(["upload", "--fingerprints", "all", a, copy, other, c, d]).status == 0)

        let bytes = try #require(try box.json(try box.run(["duplicates", "--json"])) as? [[String: Any]])
        #expect(bytes.count == 1)
        #expect(bytes.first?["ids"] as? [Int] == [1])
        #expect((bytes.first?["members"] as? [[String: Any]])?.map { $0["name"] as? String } == ["a.jpg", "a-copy.jpg"])

        let pixels = try box.run(["duplicates", "--by", "pixels", "--format", "ndjson"])
        #expect(pixels.lines.count == 1, "\(pixels.out)")
        let group = try #require(try JSONSerialization.jsonObject(with: Data(pixels.lines[0].utf8)) as? [String: Any])
        #expect(group["ids"] as? [Int] == [1, 2])
        #expect(group["by"] as? String == "pixels")

        let similar = try #require(try box.json(try box.run(["duplicates", "--by", "similar", "--json"])) as? [[String: Any]])
        #expect(similar.first?["ids"] as? [Int] == [1, 2, 3], "\(similar)")
        let table = try box.run(["duplicates", "--by", "similar", "--format", "tsv"])
        #expect(table.lines.first == "group\tkey\tid\tname\tpath\tsize\tdistance")

        // Bad values are usage errors naming the value; an unknown id is "no such image".
        let badKind = try box.run(["duplicates", "--by", "colour"])
        #expect(badKind.status == 64 && badKind.stderr.contains("--by colour"))
        let badDistance = try box.run(["similar", "1", "--max-distance", "65"])
        #expect(badDistance.status == 64 && badDistance.stderr.contains("--max-distance 65"))
        #expect(try box.run(["similar", "999"]).status == 4)
        let badKinds = try box.run(["upload", "--fingerprints", "colour", a])
        #expect(badKinds.status == 64 && badKinds.stderr.contains("colour"))
    }
}

/// `upload --thumbnails` with `--fingerprints` shares a decode per file (one call into
/// `GDThumbnailAndFingerprintRenderer`); what it stores must not show it.
@Suite struct SharedDecodeUploadTests {
    /// The files, uploaded in this order: photos at the scale the hash shares with a 256 box
    /// (2400×1800 decodes at 1/8 to 300×225) and at another (640×480), turned by EXIF, with
    /// alpha, GIF, WebP, and a damaged JPEG (stored with `--allow-damaged`, with warnings).
    static func files(in box: Sandbox) throws -> [String] {
        [
            try box.file("shared.jpg", FixturePicture.photoLike(width: 2400, height: 1800, seed: 3).jpeg(quality: 85)),
            try box.file("apart.jpg", FixturePicture.photoLike(width: 640, height: 480, seed: 4).jpeg(quality: 85)),
            try box.file("turned.jpg", Fixtures.orientedJPEG(orientation: 6, width: 640, height: 480)),
            try box.file("alpha.png", Fixtures.alphaPNG(width: 300, height: 200)),
            try box.file("anim.gif", Fixtures.animatedGIF()),
            try box.file("alpha.webp", Fixtures.alphaWebP()),
            try box.file("damaged.jpg", Fixtures.truncatedJPEG()),
        ]
    }

    /// Per id: the stored perceptual and pixel hashes.
    func hashes(_ box: Sandbox, repo: String, count: Int) throws -> [String] {
        try (1...count).map { id in
            let details = try #require(try box.json(try box.run(["details", "--json", "--repo", repo, String(id)])) as? [String: Any])
            return "\(details["phash"] as? String ?? "-") \(details["pixel_sha512"] as? String ?? "-")"
        }
    }

    @Test("upload --thumbnails 256 --fingerprints perceptual stores the perceptual hashes upload --fingerprints perceptual stores")
    func sameHashesWithThumbnails() throws {
        let box = try Sandbox()
        let files = try Self.files(in: box)
        let alone = box.root.path + "/alone", together = box.root.path + "/together"
        for (repo, extra) in [(alone, [String]()), (together, ["--thumbnails", "256"])] {
            let upload = try box.run(["upload", "--repo", repo, "--json", "--allow-damaged", "--fingerprints", "perceptual"] + extra + files)
            #expect(upload.status == 0, "\(upload.stderr)")
            let events = upload.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(events.map { $0["status"] as? String } == Array(repeating: "stored", count: files.count))
            // The damaged file is stored with a warning, as before.
            let warnings = events.last?["warnings"] as? [String] ?? []
            #expect(warnings.contains { $0.hasPrefix("fingerprints: ") }, "\(warnings)")
            #expect(extra.isEmpty || warnings.contains { $0.hasPrefix("thumbnail 256x256 jpeg: ") }, "\(warnings)")
        }
        let expected = try hashes(box, repo: alone, count: files.count)
        #expect(try hashes(box, repo: together, count: files.count) == expected)
        #expect(expected.prefix(6).allSatisfy { $0.split(separator: " ")[0].count == 16 }, "\(expected)")

        // The thumbnails made during the upload are those `thumbnail` makes afterwards.
        for id in 1...6 {
            let cached = try box.run(["thumbnail", "--repo", together, "--size", "256", "-o", "-", String(id)])
            let fresh = try box.run(["thumbnail", "--repo", alone, "--size", "256", "-o", "-", String(id)])
            #expect(cached.status == 0 && fresh.status == 0, "\(cached.stderr) \(fresh.stderr)")
            #expect(cached.stdout == fresh.stdout && !cached.stdout.isEmpty, "image \(id)")
        }
    }

    @Test("thumbnails already cached are not made again when fingerprints are asked with them")
    func cachedThumbnailsSkipped() throws {
        let box = try Sandbox()
        let files = try Array(Self.files(in: box).prefix(2))
        #expect(try box.run(["upload", "--thumbnails", "256", "--quiet"] + files).status == 0)
        func thumbnails() throws -> [String: UInt64] {
            let folder = box.repo + "/thumbnails"
            let names = FileManager.default.enumerator(atPath: folder)?.allObjects.compactMap { $0 as? String } ?? []
            var inodes: [String: UInt64] = [:]
            for name in names where name.hasSuffix(".jpg") {
                inodes[name] = (try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.systemFileNumber] as? NSNumber)?.uint64Value
            }
            return inodes
        }
        let before = try thumbnails()
        #expect(before.count == 2)
        // The same bytes under new names: read and copied again (duplicates), not answered by the ingest cache.
        let copies = try files.enumerated().map { try box.file("copy-\($0.offset).jpg", Array(try Data(contentsOf: URL(fileURLWithPath: $0.element)))) }
        let again = try box.run(["upload", "--json", "--thumbnails", "256,128", "--fingerprints", "perceptual"] + copies)
        #expect(again.status == 0, "\(again.stderr)")
        let events = again.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.map { $0["status"] as? String } == ["duplicate", "duplicate"])
        #expect(events.allSatisfy { ($0["warnings"] as? [String])?.isEmpty ?? false }, "\(events)")
        let after = try thumbnails()
        #expect(after.count == 4, "the 128 ones made: \(after.keys.sorted())")
        for (name, inode) in before { #expect(after[name] == inode, "\(name) rewritten") }
    }
}
