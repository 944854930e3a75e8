import ImageProbe
import ImgrepoCore
import Testing

/// `insert`, `image(id:)`, `knownNames`, `exifTags`, `contains`, `count`.
@Suite struct InsertTests {
    @Test(arguments: Driver.allCases)
    func aNewHashIsStoredAndReadBackWhole(driver: Driver) throws {
        try withStore(driver) { store throws in
            let image = sample("a1", name: "beach.png", path: "/tmp/beach.png", owner: "bob",
                               uploadedAt: instant(42), byteSize: 123_456_789_012, format: .png, width: 3000, height: 2000)
            let outcome = try store.insert(image)
            guard case .stored(let id) = outcome else {
                Issue.record("expected .stored, got \(outcome)")
                return
            }
            #expect(try store.image(id: id) == expectedRecord(image, id: id))
            #expect(try store.image(id: id)?.mimeType == "image/png")
            #expect(try store.contains(sha512: image.sha512))
            #expect(try store.count() == 1)
        }
    }

    @Test(arguments: Driver.allCases)
    func aKnownHashIsADuplicateAndTheImageIsUnchanged(driver: Driver) throws {
        try withStore(driver) { store throws in
            var first = sample("b2", name: "a.jpg", path: "/a/a.jpg", owner: "alice", uploadedAt: instant(1),
                               exif: camera(make: "Canon", model: "EOS R5", taken: "2024-05-01T10:00:00"))
            first.exif.tags = [ExifTag(ifd: "IFD0", name: "Make", tagID: 0x010F, text: "Canon", number: nil)]
            let id = try store.store(first)

            var second = sample("b2", name: "copy.jpg", path: "/b/copy.jpg", owner: "carol", uploadedAt: instant(2),
                                byteSize: 5, format: .png, width: nil, height: nil, exif: camera(make: "Nikon", model: "Z9"))
            second.exif.tags = [ExifTag(ifd: "IFD0", name: "Make", tagID: 0x010F, text: "Nikon", number: nil)]
            #expect(try store.insert(second) == .duplicate(id: id))
            #expect(try store.image(id: id) == expectedRecord(first, id: id))
            #expect(try store.exifTags(imageID: id) == first.exif.tags)
            #expect(try store.count() == 1)
        }
    }

    @Test(arguments: Driver.allCases)
    func aBatchIsInsertedInOrderAsOneByOneWould(driver: Driver) throws {
        try withStore(driver) { store throws in
            let existing = try store.store(sample("f1", name: "old.jpg", path: "/old", owner: "o", uploadedAt: instant(1)))
            let outcomes = try store.insert(contentsOf: [
                sample("f2", name: "new.jpg", path: "/new", owner: "o", uploadedAt: instant(2)),
                sample("f1", name: "again.jpg", path: "/again", owner: "o", uploadedAt: instant(3)),
                sample("f3", name: "twice.jpg", path: "/t1", owner: "o", uploadedAt: instant(4)),
                sample("f3", name: "twice.jpg", path: "/t2", owner: "o", uploadedAt: instant(5)),
            ])
            #expect(outcomes == [.stored(id: existing + 1), .duplicate(id: existing), .stored(id: existing + 2), .duplicate(id: existing + 2)])
            #expect(try store.count() == 3)
            #expect(try store.knownNames(imageID: existing).map(\.name) == ["old.jpg", "again.jpg"])
            #expect(try store.knownNames(imageID: existing + 2).map(\.path) == ["/t1", "/t2"])
            #expect(try store.insert(contentsOf: []) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func readsInOneSnapshotSeeTheCatalogueAndPassErrorsOn(driver: Driver) throws {
        try withStore(driver) { store throws in
            let id = try store.store(sample("a71", name: "x.jpg", path: "/x", owner: "o", uploadedAt: instant(1)))
            let seen = try store.withReadSnapshot { (try store.image(id: id)?.originalName, try store.knownNames(imageID: id).count) }
            #expect(seen.0 == "x.jpg" && seen.1 == 1)
            struct Stop: Error {}
            #expect(throws: Stop.self) { try store.withReadSnapshot { throw Stop() } }
            // The snapshot is over: writes work again.
            #expect(try store.insert(sample("a72", name: "y.jpg", path: "/y", owner: "o", uploadedAt: instant(2))) == .stored(id: id + 1))
        }
    }

    @Test(arguments: Driver.allCases)
    func duplicatesConsumeNoIDs(driver: Driver) throws {
        // Reruns of a nightly import are mostly duplicates; they must not leave gaps in the ids.
        try withStore(driver) { store throws in
            let first = try store.store(sample("d4", name: "a.jpg", path: "/a", owner: "o", uploadedAt: instant(1)))
            for t in 2...5 as ClosedRange<Int64> {
                #expect(try store.insert(sample("d4", name: "a\(t).jpg", path: "/a\(t)", owner: "o", uploadedAt: instant(t)))
                        == .duplicate(id: first))
            }
            #expect(try store.insert(sample("e5", name: "b.jpg", path: "/b", owner: "o", uploadedAt: instant(9)))
                    == .stored(id: first + 1))
        }
    }

    @Test(arguments: Driver.allCases)
    func aDuplicateRecordsEachNewNameAndPathOnce(driver: Driver) throws {
        try withStore(driver) { store throws in
            let id = try store.store(sample("c3", name: "a.jpg", path: "/x/a.jpg", owner: "alice", uploadedAt: instant(1)))
            // The first upload's own name again: nothing new.
            #expect(try store.insert(sample("c3", name: "a.jpg", path: "/x/a.jpg", owner: "bob", uploadedAt: instant(2)))
                    == .duplicate(id: id))
            // A new name, twice: recorded once.
            for t in [3, 4] as [Int64] {
                #expect(try store.insert(sample("c3", name: "b.jpg", path: "/y/b.jpg", owner: "bob", uploadedAt: instant(t)))
                        == .duplicate(id: id))
            }
            // Same name, other path; and from standard input (no path), twice.
            _ = try store.insert(sample("c3", name: "a.jpg", path: "/z/a.jpg", owner: "carol", uploadedAt: instant(5)))
            _ = try store.insert(sample("c3", name: "a.jpg", path: nil, owner: "dave", uploadedAt: instant(6)))
            _ = try store.insert(sample("c3", name: "a.jpg", path: nil, owner: "erin", uploadedAt: instant(7)))

            #expect(try store.knownNames(imageID: id) == [
                KnownName(name: "a.jpg", path: "/x/a.jpg", owner: "alice", addedAt: instant(1)),
                KnownName(name: "b.jpg", path: "/y/b.jpg", owner: "bob", addedAt: instant(3)),
                KnownName(name: "a.jpg", path: "/z/a.jpg", owner: "carol", addedAt: instant(5)),
                KnownName(name: "a.jpg", path: nil, owner: "dave", addedAt: instant(6)),
            ])
        }
    }

    @Test(arguments: Driver.allCases)
    func knownNamesAreOldestFirstAndEmptyForAnUnknownID(driver: Driver) throws {
        try withStore(driver) { store throws in
            let id = try store.store(sample("d4", name: "z.jpg", owner: "zed", uploadedAt: instant(10)))
            _ = try store.insert(sample("d4", name: "m.jpg", path: "/m.jpg", owner: "mia", uploadedAt: instant(20)))
            _ = try store.insert(sample("d4", name: "a.jpg", path: "/a.jpg", owner: "amy", uploadedAt: instant(30)))
            #expect(try store.knownNames(imageID: id).map(\.name) == ["z.jpg", "m.jpg", "a.jpg"])
            #expect(try store.knownNames(imageID: id).map(\.owner) == ["zed", "mia", "amy"])
            #expect(try store.knownNames(imageID: id + 100) == [])
            #expect(try store.exifTags(imageID: id + 100) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func tagsRoundTripInReadingOrderWithTheirNumbers(driver: Driver) throws {
        try withStore(driver) { store throws in
            let tags = [
                ExifTag(ifd: "IFD0", name: "Model", tagID: 0x0110, text: "X-T5", number: nil),
                ExifTag(ifd: "IFD0", name: "Make", tagID: 0x010F, text: "FUJIFILM", number: nil),
                ExifTag(ifd: "ExifIFD", name: "ExposureBiasValue", tagID: 0x9204, text: "-0.67 EV", number: -0.6666666666666666),
                ExifTag(ifd: "ExifIFD", name: "ISOSpeedRatings", tagID: 0x8827, text: "400", number: 400),
                ExifTag(ifd: "GPS", name: "GPSLatitudeRef", tagID: 0x0001, text: "S", number: nil),
                ExifTag(ifd: "IFD1", name: "0x9999", tagID: 0x9999, text: "", number: 0),
                ExifTag(ifd: "InteropIFD", name: "InteroperabilityIndex", tagID: 0x0001, text: "R98", number: nil),
            ]
            let id = try store.store(sample("e5", exif: ExifData(status: .read, tags: tags)))
            #expect(try store.exifTags(imageID: id) == tags)
        }
    }

    @Test(arguments: Driver.allCases)
    func everySummaryFieldRoundTripsIncludingNilAndNegativeGPS(driver: Driver) throws {
        try withStore(driver) { store throws in
            var full = ExifSummary()
            full.make = "Canon"
            full.model = "Canon EOS 5D Mark IV"
            full.lens = "EF24-70mm f/2.8L II USM"
            full.takenLocal = "2024-02-29T23:59:58.125"
            full.takenOffset = "-03:30"
            full.exposureTime = 1.0 / 250.0
            full.fNumber = 2.8
            full.iso = 12_800
            full.focalLength = 35.5
            full.orientation = 6
            full.gpsLatitude = -33.865143
            full.gpsLongitude = -151.2099
            full.gpsAltitude = -12.5
            full.software = "Firmware 1.2.0"
            full.artist = "Zoë O'Brien"
            full.copyright = "© 2024 \"quoted\""
            let fullID = try store.store(sample("f6", exif: ExifData(status: .read, summary: full)))

            var partial = ExifSummary()
            partial.takenLocal = "2020-01-01T00:00:00"
            partial.gpsLatitude = 0
            let partialID = try store.store(sample("f7", exif: ExifData(status: .unreadable, summary: partial)))
            let noneID = try store.store(sample("f8", width: nil, height: nil))

            #expect(try store.image(id: fullID)?.exif == full)
            #expect(try store.image(id: fullID)?.exif.takenUTC == Timestamp(iso8601: "2024-03-01T03:29:58.125Z"))
            #expect(try store.image(id: partialID)?.exif == partial)
            #expect(try store.image(id: partialID)?.exifStatus == .unreadable)
            #expect(try store.image(id: noneID)?.exif == ExifSummary())
            #expect(try store.image(id: noneID)?.exifStatus == .absent)
            #expect(try store.image(id: noneID)?.width == nil)
        }
    }

    @Test(arguments: Driver.allCases)
    func idsIncreaseAndAreNeverReusedEvenAfterDeletingTheHighest(driver: Driver) throws {
        try withStore(driver) { store throws in
            let a = try store.store(sample("11"))
            let b = try store.store(sample("12"))
            let c = try store.store(sample("13"))
            #expect(a < b && b < c)
            #expect(try store.delete(id: c) != nil)
            let d = try store.store(sample("14"))
            #expect(d > c)
            // The same bytes again after deletion are a new image with a new id.
            #expect(try store.delete(id: d) != nil)
            let again = try store.store(sample("14"))
            #expect(again > d)
            #expect(try store.image(id: c) == nil)
        }
    }

    @Test(arguments: Driver.allCases)
    func unknownIDsAndHashesAreNilFalseAndEmpty(driver: Driver) throws {
        try withStore(driver) { store throws in
            #expect(try store.image(id: 1) == nil)
            #expect(try store.contains(sha512: digest("ff")) == false)
            #expect(try store.count() == 0)
            #expect(try store.images(matching: ImageQuery()) == [])
            _ = try store.store(sample("aa"))
            #expect(try store.contains(sha512: digest("ab")) == false)
            #expect(try store.image(id: 0) == nil)
            #expect(try store.image(id: -1) == nil)
        }
    }

    @Test(arguments: Driver.allCases)
    func countFollowsInsertsDuplicatesAndDeletes(driver: Driver) throws {
        try withStore(driver) { store throws in
            let a = try store.store(sample("21"))
            _ = try store.store(sample("22"))
            _ = try store.insert(sample("21", name: "again.jpg"))
            #expect(try store.count() == 2)
            _ = try store.delete(id: a)
            #expect(try store.count() == 1)
            #expect(try store.contains(sha512: digest("21")) == false)
            #expect(try store.contains(sha512: digest("22")))
        }
    }

    @Test(arguments: Driver.allCases)
    func prefixLookupIsOrderedByIDAndLimited(driver: Driver) throws {
        try withStore(driver) { store throws in
            // Inserted so that id order differs from hash order.
            let ab9 = try store.store(sample("ab9"))
            let ab1 = try store.store(sample("ab1"))
            let ac = try store.store(sample("ac"))
            let ab5 = try store.store(sample("ab5"))

            #expect(try store.images(sha512Prefix: "ab", limit: 10).map(\.id) == [ab9, ab1, ab5])
            #expect(try store.images(sha512Prefix: "ab", limit: 2).map(\.id) == [ab9, ab1])
            #expect(try store.images(sha512Prefix: "a", limit: 10).map(\.id) == [ab9, ab1, ac, ab5])
            #expect(try store.images(sha512Prefix: "", limit: 10).map(\.id) == [ab9, ab1, ac, ab5])
            #expect(try store.images(sha512Prefix: digest("ac"), limit: 10).map(\.id) == [ac])
            #expect(try store.images(sha512Prefix: "abc", limit: 10) == [])
            #expect(try store.images(sha512Prefix: "b", limit: 10) == [])
            // Characters that mean something to LIKE or GLOB mean nothing here.
            #expect(try store.images(sha512Prefix: "a%", limit: 10) == [])
            #expect(try store.images(sha512Prefix: "a*", limit: 10) == [])
            #expect(try store.images(sha512Prefix: "a_", limit: 10) == [])
            #expect(try store.images(sha512Prefix: "ab1", limit: 10) == [try #require(try store.image(id: ab1))])
        }
    }

    @Test(arguments: Driver.allCases)
    func hostileTextIsStoredAndMatchedAsPlainText(driver: Driver) throws {
        try withStore(driver) { store throws in
            let hostile = "'; DROP TABLE images; --"
            let image = sample("31", name: hostile, path: "/tmp/\(hostile)", owner: "o'brien\"; --",
                               exif: camera(make: hostile, model: "\\%_'\""))
            let id = try store.store(image)
            _ = try store.insert(sample("31", name: "x\(hostile)", path: nil, owner: hostile))
            #expect(try store.image(id: id) == expectedRecord(image, id: id))
            #expect(try store.knownNames(imageID: id).map(\.name) == [hostile, "x\(hostile)"])

            let query = ImageQuery(predicate: .and([
                .compare(.owner, .equal, .text("o'brien\"; --")),
                .glob(.name, "'; DROP*"),
                .glob(.make, "*drop table*"),
            ]))
            #expect(try store.images(matching: query).map(\.id) == [id])
            #expect(try store.count() == 1)
        }
    }

    @Test(arguments: Driver.allCases)
    func emptyAndUnicodeTextRoundTrips(driver: Driver) throws {
        try withStore(driver) { store throws in
            let image = sample("41", name: "", path: "", owner: "ünïcödé 写真 🎞",
                               exif: camera(make: "", model: "モデル"))
            let id = try store.store(image)
            #expect(try store.image(id: id) == expectedRecord(image, id: id))
            #expect(try store.knownNames(imageID: id) == [KnownName(name: "", path: "", owner: "ünïcödé 写真 🎞", addedAt: instant(0))])
        }
    }
}
