import ImageProbe
import ImgrepoCore
import Testing

/// `images(matching:)`: every filter alone and combined, every sort key both ways, limits.
@Suite struct QueryTests {
    /// Six images, ids 1…6 in this order, with ties and NULLs in the sortable columns.
    static let gallery: [NewImage] = [
        sample("01", name: "IMG_0001.jpg", owner: "alice", uploadedAt: instant(100), byteSize: 3_000,
               format: .jpeg, width: 4_000, height: 3_000,
               exif: camera(make: "Canon", model: "Canon EOS R5", taken: "2024-01-01T08:00:00")),
        // Tokyo wall clock 09:00 (00:00 UTC): capture bounds compare wall clocks, not instants.
        sample("02", name: "IMG_0002.JPG", owner: "bob", uploadedAt: instant(200), byteSize: 1_000,
               format: .jpeg, width: nil, height: nil,
               exif: camera(make: "NIKON CORPORATION", model: "NIKON Z 9", taken: "2024-01-01T09:00:00", offset: "+09:00")),
        sample("03", name: "beach.png", owner: "alice", uploadedAt: instant(300), byteSize: 2_000,
               format: .png, width: 800, height: 600),
        sample("04", name: "Beach-2.png", owner: "carol", uploadedAt: instant(300), byteSize: 1_000,
               format: .png, width: 800, height: 900,
               exif: camera(make: "100% Optics", model: "Foo_Bar", taken: "2023-12-31T23:59:59")),
        sample("05", name: "scan.tiff", owner: "bob", uploadedAt: instant(400), byteSize: 5_000,
               format: .tiff, width: 1_200, height: nil,
               exif: camera(make: "100 Optics", model: "FooXBar", taken: "2024-06-15T12:00:00.500")),
        sample("06", name: "anim.gif", owner: "alice", uploadedAt: instant(500), byteSize: 3_000,
               format: .gif, width: nil, height: 50,
               exif: camera(make: "Back\\slash", model: nil)),
    ]

    /// Runs `body` with the gallery stored; the closure receives the gallery's ids in order.
    func withGallery(_ driver: Driver, _ body: (any MetadataStore, [Int64]) throws -> Void) throws {
        try withStore(driver) { store throws in
            let ids = try Self.gallery.map { try store.store($0) }
            try body(store, ids)
        }
    }

    /// Positions (1-based, in gallery order) of the images `query` lists, in its order.
    func positions(_ store: any MetadataStore, _ ids: [Int64], _ query: ImageQuery) throws -> [Int] {
        try store.images(matching: query).map { record in (ids.firstIndex(of: record.id) ?? -1) + 1 }
    }

    /// An `ImageQuery` with `configure` applied.
    func query(_ configure: (inout ImageQuery) -> Void) -> ImageQuery {
        var query = ImageQuery()
        configure(&query)
        return query
    }

    @Test(arguments: Driver.allCases)
    func theEmptyQueryListsEverythingByID(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            let records = try store.images(matching: ImageQuery())
            #expect(records.map(\.id) == ids)
            #expect(records == zip(Self.gallery, ids).map { expectedRecord($0, id: $1) })
        }
    }

    @Test(arguments: Driver.allCases)
    func ownersMatchExactlyAndOrTogether(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try positions(store, ids, query { $0.owners = ["alice"] }) == [1, 3, 6])
            #expect(try positions(store, ids, query { $0.owners = ["alice", "carol"] }) == [1, 3, 4, 6])
            #expect(try positions(store, ids, query { $0.owners = ["Alice"] }) == [])
            #expect(try positions(store, ids, query { $0.owners = ["ali"] }) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func nameGlobsMatchCaseSensitivelyAndOrTogether(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try positions(store, ids, query { $0.nameGlobs = ["*.png"] }) == [3, 4])
            #expect(try positions(store, ids, query { $0.nameGlobs = ["IMG_000?.jpg"] }) == [1])
            #expect(try positions(store, ids, query { $0.nameGlobs = ["*.JPG", "*.gif"] }) == [2, 6])
            #expect(try positions(store, ids, query { $0.nameGlobs = ["b*"] }) == [3])
            #expect(try positions(store, ids, query { $0.nameGlobs = ["[bB]each*"] }) == [3, 4])
            #expect(try positions(store, ids, query { $0.nameGlobs = ["beach.png"] }) == [3])
            #expect(try positions(store, ids, query { $0.nameGlobs = ["each"] }) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func formatsOrTogether(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try positions(store, ids, query { $0.formats = [.png] }) == [3, 4])
            #expect(try positions(store, ids, query { $0.formats = [.jpeg, .tiff] }) == [1, 2, 5])
            #expect(try positions(store, ids, query { $0.formats = [.webp] }) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func captureBoundsCompareWallClocksAndSkipImagesWithoutOne(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            // Inclusive lower bound, with and without seconds; 3 and 6 have no capture time.
            #expect(try positions(store, ids, query { $0.takenAfter = "2024-01-01T08:00" }) == [1, 2, 5])
            #expect(try positions(store, ids, query { $0.takenAfter = "2024-01-01T08:00:00" }) == [1, 2, 5])
            #expect(try positions(store, ids, query { $0.takenAfter = "2024-01-01T08:00:01" }) == [2, 5])
            // Exclusive upper bound.
            #expect(try positions(store, ids, query { $0.takenBefore = "2024-01-01T09:00:00" }) == [1, 4])
            #expect(try positions(store, ids, query { $0.takenBefore = "2024-01-01T09:00:01" }) == [1, 2, 4])
            #expect(try positions(store, ids, query {
                $0.takenAfter = "2024-01-01"
                $0.takenBefore = "2024-06-15T12:00:00.500"
            }) == [1, 2])
            #expect(try positions(store, ids, query { $0.takenAfter = "1900-01-01" }) == [1, 2, 4, 5])
            #expect(try positions(store, ids, query { $0.takenBefore = "2100-01-01" }) == [1, 2, 4, 5])
        }
    }

    @Test(arguments: Driver.allCases)
    func uploadBoundsAreInclusiveBelowAndExclusiveAbove(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try positions(store, ids, query { $0.uploadedAfter = instant(300) }) == [3, 4, 5, 6])
            #expect(try positions(store, ids, query { $0.uploadedBefore = instant(300) }) == [1, 2])
            #expect(try positions(store, ids, query {
                $0.uploadedAfter = instant(200)
                $0.uploadedBefore = instant(400)
            }) == [2, 3, 4])
            #expect(try positions(store, ids, query {
                $0.uploadedAfter = Timestamp(microseconds: instant(300).microseconds + 1)
            }) == [5, 6])
            #expect(try positions(store, ids, query {
                $0.uploadedBefore = Timestamp(microseconds: instant(100).microseconds + 1)
            }) == [1])
        }
    }

    @Test(arguments: Driver.allCases)
    func cameraTextsAreCaseInsensitiveSubstringsOfMakeOrModel(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try positions(store, ids, query { $0.cameraTexts = ["canon"] }) == [1])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["CANON eos"] }) == [1])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["z 9"] }) == [2])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["optics"] }) == [4, 5])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["canon", "nikon"] }) == [1, 2])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["leica"] }) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func cameraTextWildcardsAreLiteral(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            // As LIKE wildcards, "0%" would match "100 Optics" and "o_b" would match "FooXBar".
            #expect(try positions(store, ids, query { $0.cameraTexts = ["0%"] }) == [4])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["%"] }) == [4])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["o_b"] }) == [4])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["_"] }) == [4])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["\\"] }) == [6])
            #expect(try positions(store, ids, query { $0.cameraTexts = ["k\\s"] }) == [6])
        }
    }

    @Test(arguments: Driver.allCases)
    func kindsAndTogetherValuesOrTogether(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try positions(store, ids, query {
                $0.owners = ["alice", "bob"]
                $0.formats = [.jpeg, .gif]
                $0.cameraTexts = ["canon", "back"]
            }) == [1, 6])
            #expect(try positions(store, ids, query {
                $0.owners = ["alice", "bob"]
                $0.formats = [.jpeg, .gif]
                $0.cameraTexts = ["canon", "back"]
                $0.uploadedBefore = instant(500)
            }) == [1])
            #expect(try positions(store, ids, query {
                $0.nameGlobs = ["*.png"]
                $0.owners = ["carol"]
            }) == [4])
            #expect(try positions(store, ids, query {
                $0.nameGlobs = ["*.png"]
                $0.takenAfter = "2024-01-01"
            }) == [])
            #expect(try positions(store, ids, query {
                $0.owners = ["bob"]
                $0.takenAfter = "2024-01-01"
                $0.takenBefore = "2024-02-01"
                $0.formats = [.jpeg]
                $0.cameraTexts = ["nikon"]
                $0.uploadedAfter = instant(200)
                $0.nameGlobs = ["IMG_*"]
            }) == [2])
        }
    }

    /// The order a key must produce: values ascending or descending, NULLs after every value
    /// in both directions, ties broken by id in the sort's direction.
    static func referenceOrder(_ key: ImageQuery.SortKey, descending: Bool) -> [Int] {
        enum Value: Comparable { case int(Int64), text(String) }
        func value(_ image: NewImage) -> Value? {
            switch key {
            case .id: nil
            case .name: .text(image.originalName)
            case .owner: .text(image.owner)
            case .uploaded: .int(image.uploadedAt.microseconds)
            case .taken: image.exif.summary.takenLocal.map { .text($0) }
            case .size: .int(image.byteSize)
            case .format: .text(image.format.rawValue)
            case .width: image.width.map { .int(Int64($0)) }
            case .height: image.height.map { .int(Int64($0)) }
            }
        }
        let positions = Array(1...gallery.count)
        return positions.sorted { a, b in
            let va = value(gallery[a - 1]), vb = value(gallery[b - 1])
            switch (va, vb) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return descending ? a > b : a < b
            }
        }
    }

    @Test(arguments: Driver.allCases, ImageQuery.SortKey.allCases)
    func everySortKeyOrdersBothWaysWithNullsLast(driver: Driver, key: ImageQuery.SortKey) throws {
        try withGallery(driver) { store, ids throws in
            for descending in [false, true] {
                let listed = try positions(store, ids, query {
                    $0.sort = key
                    $0.descending = descending
                })
                #expect(listed == Self.referenceOrder(key, descending: descending),
                        "sort \(key.rawValue) \(descending ? "descending" : "ascending")")
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func sortSpotChecks(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            // The reference above, spelled out for three keys.
            #expect(try positions(store, ids, query { $0.sort = .width }) == [3, 4, 5, 1, 2, 6])
            #expect(try positions(store, ids, query { $0.sort = .width; $0.descending = true }) == [1, 5, 4, 3, 6, 2])
            #expect(try positions(store, ids, query { $0.sort = .taken }) == [4, 1, 2, 5, 3, 6])
            #expect(try positions(store, ids, query { $0.sort = .taken; $0.descending = true }) == [5, 2, 1, 4, 6, 3])
            #expect(try positions(store, ids, query { $0.sort = .size }) == [2, 4, 3, 1, 6, 5])
            #expect(try positions(store, ids, query { $0.descending = true }) == [6, 5, 4, 3, 2, 1])
        }
    }

    @Test(arguments: Driver.allCases)
    func limitCutsTheSortedList(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try positions(store, ids, query { $0.limit = 2 }) == [1, 2])
            #expect(try positions(store, ids, query { $0.limit = 0 }) == [])
            #expect(try positions(store, ids, query { $0.limit = 100 }) == [1, 2, 3, 4, 5, 6])
            #expect(try positions(store, ids, query {
                $0.sort = .size
                $0.descending = true
                $0.limit = 3
            }) == [5, 6, 1])
            #expect(try positions(store, ids, query {
                $0.owners = ["alice"]
                $0.limit = 2
            }) == [1, 3])
        }
    }
}
