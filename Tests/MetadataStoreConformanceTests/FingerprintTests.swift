import ImgrepoCore
import Testing

/// The fingerprint columns and queries of schema version 4 (issue 8), in every driver.
@Suite struct FingerprintTests {
    static func fingerprinted(_ seed: String, pixels: String?, phash: UInt64?, name: String = "photo.jpg",
                              dedup: Bool = false) -> NewImage {
        var image = sample(seed, name: name, path: "/photos/" + name)
        image.fingerprints = ImageFingerprints(pixelSHA512: pixels.map(digest), perceptualHash: phash)
        image.fingerprintVersion = 1
        image.deduplicatePixels = dedup
        return image
    }

    @Test("fingerprints and the new EXIF columns round-trip, the top bit of the hash included", arguments: Driver.allCases)
    func roundTrip(driver: Driver) throws {
        try withStore(driver) { store in
            var image = Self.fingerprinted("a1", pixels: "e1", phash: 0x8000_0000_0000_0001)
            image.exif.summary.focalLength35mm = 28
            image.exif.summary.flash = 0x19
            image.exif.summary.takenLocal = "2024-05-01T10:00:00"
            image.exif.summary.takenTag = "EXIF:CreateDate"
            image.exif.summary.gpsDateTime = Timestamp(iso8601: "2024-05-01T08:00:01.5Z")
            image.warnings = ["exif: tag 0x9003 has 3 components", "xmp: not well-formed \u{1F} (line 2)", ""]
            let id = try store.store(image)
            let record = try #require(try store.image(id: id))
            // The separator the column joins them with cannot survive inside one; the rest does.
            var expected = expectedRecord(image, id: id)
            expected.warnings = ["exif: tag 0x9003 has 3 components", "xmp: not well-formed   (line 2)", ""]
            #expect(record == expected)
            #expect(try store.image(id: try store.store(sample("a9")))?.warnings == [])
            #expect(record.fingerprints.perceptualHash == 0x8000_0000_0000_0001)
            #expect(record.exif.takenUTC == Timestamp(iso8601: "2024-05-01T08:00:01.5Z"), "the GPS fallback, stored and read back")
            #expect(try store.count(matching: .compare(.focal35, .equal, .integer(28))) == 1)
            #expect(try store.count(matching: .compare(.flash, .equal, .integer(0x19))) == 1)
            #expect(try store.count(matching: .compare(.pixelHash, .equal, .text(digest("e1")))) == 1)
        }
    }

    @Test("--dedup pixels: new bytes with known pixels become a name of the oldest such image", arguments: Driver.allCases)
    func pixelDeduplication(driver: Driver) throws {
        try withStore(driver) { store in
            let first = try store.store(Self.fingerprinted("a1", pixels: "e1", phash: 1, name: "a.jpg"))
            _ = try store.store(Self.fingerprinted("a2", pixels: "e1", phash: 1, name: "b.jpg"))
            let outcome = try store.insert(Self.fingerprinted("a3", pixels: "e1", phash: 1, name: "c.jpg", dedup: true))
            #expect(outcome == .samePixels(id: first))
            #expect(try store.contains(sha512: digest("a3")) == false)
            #expect(try store.knownNames(imageID: first).map(\.name) == ["a.jpg", "c.jpg"])
            // The same upload again adds no second name.
            #expect(try store.insert(Self.fingerprinted("a3", pixels: "e1", phash: 1, name: "c.jpg", dedup: true)) == .samePixels(id: first))
            #expect(try store.knownNames(imageID: first).count == 2)
            // Without the option, or with pixels nobody has, a new row as always.
            #expect(try store.insert(Self.fingerprinted("a4", pixels: "e1", phash: 1)).isStored)
            #expect(try store.insert(Self.fingerprinted("a5", pixels: "e9", phash: 1, dedup: true)).isStored)
            // Known bytes stay a plain duplicate even with the option.
            #expect(try store.insert(Self.fingerprinted("a2", pixels: "e1", phash: 1, name: "d.jpg", dedup: true)) == .duplicate(id: first + 1))
        }
    }

    @Test("the index backlog pages by id and skips what is up to date; updates keep what they do not set", arguments: Driver.allCases)
    func backlogAndUpdates(driver: Driver) throws {
        try withStore(driver) { store in
            let bare = try store.store(sample("b1"))
            let done = try store.store(Self.fingerprinted("b2", pixels: "e2", phash: 2))
            let old = try store.store({ var i = Self.fingerprinted("b3", pixels: "e3", phash: 3); i.fingerprintVersion = 0; return i }())
            let halfDone = try store.store(Self.fingerprinted("b4", pixels: nil, phash: 4))
            #expect(try store.fingerprintBacklog(kinds: .all, version: 1, after: 0, limit: 10).map(\.id) == [bare, old, halfDone])
            #expect(try store.fingerprintBacklog(kinds: .perceptualHash, version: 1, after: 0, limit: 10).map(\.id) == [bare, old])
            #expect(try store.fingerprintBacklog(kinds: .all, version: 1, after: bare, limit: 1).map(\.id) == [old])
            #expect(try store.fingerprintBacklog(kinds: .all, version: -1, after: 0, limit: 10).map(\.id) == [bare, done, old, halfDone])
            // Missing only: an older version's hashes still count as there.
            #expect(try store.fingerprintBacklog(kinds: .perceptualHash, version: nil, after: 0, limit: 10).map(\.id) == [bare])
            #expect(try store.fingerprintBacklog(kinds: .pixelHash, version: nil, after: 0, limit: 10).map(\.id) == [bare, halfDone])
            #expect(try store.fingerprintBacklog(kinds: .pixelHash, version: nil, after: bare, limit: 10).map(\.id) == [halfDone])

            try store.setFingerprints([
                FingerprintUpdate(id: bare, fingerprints: ImageFingerprints(pixelSHA512: digest("e1"), perceptualHash: UInt64.max), version: 1),
                FingerprintUpdate(id: halfDone, fingerprints: ImageFingerprints(pixelSHA512: digest("e4")), version: 1),
                FingerprintUpdate(id: 999_999, fingerprints: ImageFingerprints(perceptualHash: 5), version: 1),
            ])
            #expect(try store.image(id: bare)?.fingerprints == ImageFingerprints(pixelSHA512: digest("e1"), perceptualHash: UInt64.max))
            #expect(try store.image(id: halfDone)?.fingerprints == ImageFingerprints(pixelSHA512: digest("e4"), perceptualHash: 4))
            #expect(try store.image(id: done)?.fingerprintVersion == 1)
            #expect(try store.fingerprintBacklog(kinds: .all, version: 1, after: 0, limit: 10).map(\.id) == [old])
        }
    }

    @Test("Hamming filter, compact hash scan, pixel groups and images with several names", arguments: Driver.allCases)
    func similarityAndGroups(driver: Driver) throws {
        try withStore(driver) { store in
            let base: UInt64 = 0xF0F0_0000_FFFF_1234
            let a = try store.store(Self.fingerprinted("c1", pixels: "e1", phash: base))
            let b = try store.store(Self.fingerprinted("c2", pixels: "e1", phash: base ^ 0b111))            // 3 bits
            let c = try store.store(Self.fingerprinted("c3", pixels: "e3", phash: base ^ 0x8000_0000_0000_0000)) // 1 bit, top
            let d = try store.store(Self.fingerprinted("c4", pixels: "e1", phash: ~base))                     // 64 bits
            _ = try store.store(Self.fingerprinted("c5", pixels: nil, phash: nil))
            #expect(try store.count(matching: .similar(to: base, maxDistance: 0)) == 1)
            #expect(try store.count(matching: .similar(to: base, maxDistance: 3)) == 3)
            #expect(try store.count(matching: .similar(to: base, maxDistance: 64)) == 4)
            let near = try store.images(matching: ImageQuery(predicate: .similar(to: base, maxDistance: 2))).map(\.id)
            #expect(near == [a, c])
            let scan = try store.perceptualHashes(matching: .compare(.id, .notEqual, .integer(a)))
            #expect(scan.ids == [b, c, d])
            #expect(scan.hashes == [base ^ 0b111, base ^ 0x8000_0000_0000_0000, ~base])

            let groups = try store.pixelDuplicateGroups()
            #expect(groups.map { $0.map(\.id) } == [[a, b, d]])

            #expect(try store.imagesWithSeveralNames().isEmpty)
            var again = sample("c3", name: "copy.jpg", path: "/elsewhere/copy.jpg")
            again.fingerprints = ImageFingerprints()
            #expect(try store.insert(again) == .duplicate(id: c))
            #expect(try store.imagesWithSeveralNames().map(\.id) == [c])
        }
    }
}
