import ImageProbe
import ImgrepoCore
import Testing

/// `images(matching:)`, `forEachImage`, `count(matching:)`: every predicate alone and combined,
/// NULL semantics, sorting on every field, offset and keyset paging.
@Suite struct QueryTests {
    /// Six images, ids 1…6 in this order, with ties and NULLs in the sortable columns.
    static let gallery: [NewImage] = [
        sample("01", name: "IMG_0001.jpg", owner: "alice", uploadedAt: instant(100), byteSize: 3_000,
               format: .jpeg, width: 4_000, height: 3_000,
               exif: exif(make: "Canon", model: "Canon EOS R5", taken: "2024-01-01T08:00:00", iso: 100, fNumber: 2.8,
                          latitude: 48.8566, longitude: 2.3522)),
        // Tokyo wall clock 09:00 (00:00 UTC): capture bounds compare wall clocks, not instants.
        // Just west of the antimeridian; image 4 is just east of it, 10.6 km away.
        sample("02", name: "IMG_0002.JPG", owner: "bob", uploadedAt: instant(200), byteSize: 1_000,
               format: .jpeg, width: nil, height: nil,
               exif: exif(make: "NIKON CORPORATION", model: "NIKON Z 9", taken: "2024-01-01T09:00:00", offset: "+09:00",
                          iso: 3_200, latitude: -17, longitude: 179.95)),
        sample("03", name: "beach.png", path: nil, owner: "alice", uploadedAt: instant(300), byteSize: 2_000,
               format: .png, width: 800, height: 600),
        sample("04", name: "Beach-2.png", owner: "carol", uploadedAt: instant(300), byteSize: 1_000,
               format: .png, width: 800, height: 900,
               exif: exif(make: "100% Optics", model: "Foo_Bar", taken: "2023-12-31T23:59:59", iso: 100,
                          latitude: -17, longitude: -179.95)),
        // 5.6 km from the North Pole, on opposite meridians: 11.1 km apart.
        sample("05", name: "scan.tiff", owner: "bob", uploadedAt: instant(400), byteSize: 5_000,
               format: .tiff, width: 1_200, height: nil,
               exif: exif(make: "100 Optics", model: "FooXBar", taken: "2024-06-15T12:00:00.500", iso: 800,
                          latitude: 89.95, longitude: 0)),
        sample("06", name: "anim.gif", owner: "alice", uploadedAt: instant(500), byteSize: 3_000,
               format: .gif, width: nil, height: 50,
               exif: exif(make: "Back\\slash", latitude: 89.95, longitude: 180)),
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

    /// Checks that `predicate` matches exactly the images at `expected` (ascending positions),
    /// through `images(matching:)`, `forEachImage` and `count(matching:)`.
    func check(_ store: any MetadataStore, _ ids: [Int64], _ predicate: QueryPredicate, _ expected: [Int],
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let query = ImageQuery(predicate: predicate)
        #expect(try positions(store, ids, query) == expected, "\(predicate)", sourceLocation: sourceLocation)
        var streamed: [Int64] = []
        try store.forEachImage(matching: query) { streamed.append($0.id) }
        #expect(streamed == expected.map { ids[$0 - 1] }, "\(predicate) streamed", sourceLocation: sourceLocation)
        #expect(try store.count(matching: predicate) == expected.count, "\(predicate) counted", sourceLocation: sourceLocation)
    }

    static let everyone = [1, 2, 3, 4, 5, 6]

    @Test(arguments: Driver.allCases)
    func theEmptyQueryListsEverythingByID(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            let records = try store.images(matching: ImageQuery())
            #expect(records.map(\.id) == ids)
            #expect(records == zip(Self.gallery, ids).map { expectedRecord($0, id: $1) })
            #expect(try store.count(matching: .all) == 6)
        }
    }

    @Test(arguments: Driver.allCases)
    func comparisonsOnEveryKindOfField(driver: Driver) throws {
        let tokyoMidnight = Timestamp(microseconds: 1_704_067_200_000_000)
        let cases: [(QueryPredicate, [Int])] = [
            (.compare(.size, .equal, .integer(1_000)), [2, 4]),
            (.compare(.size, .notEqual, .integer(1_000)), [1, 3, 5, 6]),
            (.compare(.size, .greaterOrEqual, .integer(3_000)), [1, 5, 6]),
            (.compare(.size, .lessOrEqual, .integer(2_000)), [2, 3, 4]),
            (.compare(.size, .greater, .integer(3_000)), [5]),
            (.compare(.size, .less, .integer(1_000)), []),
            // NULL never satisfies a comparison, not even !=.
            (.compare(.width, .notEqual, .integer(800)), [1, 5]),
            (.compare(.width, .less, .real(1_000.5)), [3, 4]),
            (.compare(.pixels, .greater, .integer(600_000)), [1, 4]),
            (.compare(.id, .greater, .integer(4)), [5, 6]),
            (.compare(.taken, .greaterOrEqual, .text("2024-01-01T08:30:00")), [2, 5]),
            (.compare(.taken, .less, .text("2024")), [4]),
            (.compare(.uploaded, .greaterOrEqual, .integer(instant(300).microseconds)), [3, 4, 5, 6]),
            (.compare(.uploaded, .less, .integer(instant(300).microseconds)), [1, 2]),
            (.compare(.takenUTC, .equal, .integer(tokyoMidnight.microseconds)), [2]),
            (.compare(.name, .equal, .text("IMG_0002.JPG")), [2]),
            // = is case-sensitive.
            (.compare(.name, .equal, .text("img_0002.jpg")), []),
            (.compare(.format, .equal, .text("png")), [3, 4]),
            (.compare(.exif, .equal, .text("absent")), [3]),
            (.compare(.iso, .greater, .integer(500)), [2, 5]),
            (.compare(.fnumber, .equal, .real(2.8)), [1]),
            (.compare(.fnumber, .notEqual, .real(2.8)), []),
            (.compare(.latitude, .greater, .integer(80)), [5, 6]),
            (.compare(.longitude, .greater, .real(179.9)), [2, 6]),
            // Text orders byte-wise: digits and "B" sort before "C".
            (.compare(.make, .greater, .text("C")), [1, 2]),
            (.compare(.owner, .notEqual, .text("alice")), [2, 4, 5]),
            (.compare(.path, .equal, .text("/home/alice/photo.jpg")), [1, 2, 4, 5, 6]),
            (.compare(.sha512, .equal, .text(digest("05"))), [5]),
        ]
        try withGallery(driver) { store, ids throws in
            for (predicate, expected) in cases {
                try check(store, ids, predicate, expected)
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func aValueOfTheWrongKindIsAnInvalidArgument(driver: Driver) throws {
        let wrong: [QueryPredicate] = [
            .compare(.size, .equal, .text("1000")),
            .compare(.name, .equal, .integer(1)),
            .compare(.taken, .less, .integer(2024)),
            .compare(.uploaded, .greater, .text("2024-01-01")),
            .and([.all, .not(.compare(.iso, .equal, .text("100")))]),
        ]
        try withGallery(driver) { store, _ throws in
            for predicate in wrong {
                #expect(throws: ImgrepoError.self, "\(predicate)") { try store.images(matching: ImageQuery(predicate: predicate)) }
                #expect(throws: ImgrepoError.self, "\(predicate)") { try store.count(matching: predicate) }
                let thrown = #expect(throws: ImgrepoError.self) { try store.statistics(matching: predicate) }
                if case .invalidArgument = thrown {} else { Issue.record("\(String(describing: thrown)) for \(predicate)") }
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func isNullFindsMissingValues(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            try check(store, ids, .isNull(.width), [2, 6])
            try check(store, ids, .isNull(.make), [3])
            try check(store, ids, .isNull(.pixels), [2, 5, 6])
            try check(store, ids, .isNull(.path), [3])
            try check(store, ids, .isNull(.takenUTC), [1, 3, 4, 5, 6])
            try check(store, ids, .isNull(.size), [])
        }
    }

    @Test(arguments: Driver.allCases)
    func andOrNotCombineWithNotMeaningDoesNotSatisfy(driver: Driver) throws {
        let width800: QueryPredicate = .compare(.width, .equal, .integer(800))
        let highISO: QueryPredicate = .compare(.iso, .greater, .integer(500))
        let cases: [(QueryPredicate, [Int])] = [
            (.all, Self.everyone),
            (.and([]), Self.everyone),
            (.or([]), []),
            (.not(.all), []),
            (.not(.or([])), Self.everyone),
            (.and([.compare(.size, .equal, .integer(1_000)), .compare(.format, .equal, .text("png"))]), [4]),
            (.or([.compare(.size, .equal, .integer(1_000)), .compare(.format, .equal, .text("png"))]), [2, 3, 4]),
            // Images without the field do not satisfy the comparison, so NOT includes them.
            (.not(width800), [1, 2, 5, 6]),
            (.not(.compare(.make, .equal, .text("Canon"))), [2, 3, 4, 5, 6]),
            (.not(.not(width800)), [3, 4]),
            (.not(.and([width800, .compare(.height, .equal, .integer(600))])), [1, 2, 4, 5, 6]),
            (.not(.or([.isNull(.width), highISO])), [1, 3, 4]),
            (.or([.and([.compare(.format, .equal, .text("jpeg")), highISO]), .glob(.name, "*.gif")]), [2, 6]),
            (.and([.not(highISO), .not(.isNull(.make))]), [1, 4, 6]),
            (.or([.compare(.width, .greater, .integer(1_000)), .compare(.height, .less, .integer(100))]), [1, 5, 6]),
            (.not(.or([.compare(.width, .greater, .integer(1_000)), .compare(.height, .less, .integer(100))])), [2, 3, 4]),
            (.and([.or([.isNull(.width), .isNull(.height)]), .not(.isNull(.make))]), [2, 5, 6]),
            (.not(.near(latitude: 90, longitude: 0, kilometres: 10)), [1, 2, 3, 4]),
            (QueryPredicate.compare(.owner, .equal, .text("alice")).and(.compare(.size, .equal, .integer(3_000))), [1, 6]),
        ]
        try withGallery(driver) { store, ids throws in
            for (predicate, expected) in cases {
                try check(store, ids, predicate, expected)
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func globsAreCaseInsensitiveShellPatterns(driver: Driver) throws {
        let cases: [(QueryPredicate, [Int])] = [
            (.glob(.name, "img_*"), [1, 2]),
            (.glob(.name, "IMG_000?.JPG"), [1, 2]),
            (.glob(.name, "IMG_000?"), []),
            (.glob(.name, "[b]each*"), [3, 4]),
            (.glob(.name, "[B]EACH*"), [3, 4]),
            (.glob(.name, "[a-c]*"), [3, 4, 6]),
            (.glob(.name, "[^b]*"), [1, 2, 5, 6]),
            (.glob(.name, "*.PNG"), [3, 4]),
            (.glob(.name, "*"), Self.everyone),
            (.glob(.name, ""), []),
            // %, _ and \ are plain characters in a glob.
            (.glob(.make, "100%*"), [4]),
            (.glob(.make, "100*optics"), [4, 5]),
            (.glob(.model, "foo_bar"), [4]),
            (.glob(.make, "back\\*"), [6]),
            (.glob(.make, "*"), [1, 2, 4, 5, 6]),
            (.glob(.path, "*"), [1, 2, 4, 5, 6]),
            (.glob(.format, "P?G"), [3, 4]),
            (.glob(.taken, "2024-01-01T*"), [1, 2]),
            (.or([.glob(.make, "canon*"), .glob(.model, "nikon*")]), [1, 2]),
        ]
        try withGallery(driver) { store, ids throws in
            for (predicate, expected) in cases {
                try check(store, ids, predicate, expected)
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func globsFoldOnlyASCIILetters(driver: Driver) throws {
        try withStore(driver) { store throws in
            let id = try store.store(sample("a1", exif: exif(make: "ÉCLAIR Ünï")))
            #expect(try store.images(matching: ImageQuery(predicate: .glob(.make, "ÉCLAIR*"))).map(\.id) == [id])
            #expect(try store.images(matching: ImageQuery(predicate: .glob(.make, "Éclair ünï"))) == [])
            #expect(try store.images(matching: ImageQuery(predicate: .glob(.make, "Éclair Ünï"))).map(\.id) == [id])
            #expect(try store.images(matching: ImageQuery(predicate: .glob(.make, "éclair*"))) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func nearAndBoundingBoxesHandleTheAntimeridianAndThePoles(driver: Driver) throws {
        let cases: [(QueryPredicate, [Int])] = [
            (.near(latitude: 48.8566, longitude: 2.3522, kilometres: 1), [1]),
            (.near(latitude: 48.85, longitude: 2.35, kilometres: 0.5), []),
            (.near(latitude: 48.85, longitude: 2.35, kilometres: 1), [1]),
            // 5.3 km either side of the antimeridian.
            (.near(latitude: -17, longitude: 180, kilometres: 6), [2, 4]),
            (.near(latitude: -17, longitude: -180, kilometres: 6), [2, 4]),
            (.near(latitude: -17, longitude: 179.95, kilometres: 1), [2]),
            (.near(latitude: -17, longitude: -179.95, kilometres: 11), [2, 4]),
            (.near(latitude: -17, longitude: -179.95, kilometres: 10), [4]),
            (.near(latitude: 90, longitude: 0, kilometres: 6), [5, 6]),
            (.near(latitude: 89.95, longitude: 0, kilometres: 1), [5]),
            // 7.1 km from both, which lie on the far side of the pole's longitudes.
            (.near(latitude: 89.96, longitude: 90, kilometres: 8), [5, 6]),
            (.near(latitude: 89.96, longitude: 90, kilometres: 7), []),
            (.near(latitude: 0, longitude: 0, kilometres: 20_100), [1, 2, 4, 5, 6]),
            (.near(latitude: 0, longitude: 0, kilometres: -1), []),
            (.boundingBox(south: 48, west: 2, north: 49, east: 3), [1]),
            (.boundingBox(south: -18, west: 179.9, north: -16, east: -179.9), [2, 4]),
            (.boundingBox(south: -18, west: 179.96, north: -16, east: -179.9), [4]),
            (.boundingBox(south: -18, west: -179.9, north: -16, east: 179.9), []),
            (.boundingBox(south: 89, west: -180, north: 90, east: 180), [5, 6]),
            (.boundingBox(south: -90, west: -180, north: 90, east: 180), [1, 2, 4, 5, 6]),
        ]
        try withGallery(driver) { store, ids throws in
            for (predicate, expected) in cases {
                try check(store, ids, predicate, expected)
            }
        }
    }

    // MARK: Order

    @Test(arguments: Driver.allCases)
    func everyFieldSortsBothWaysWithNullsLastAndIDTieBreaks(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            for field in QueryField.allCases {
                for descending in [false, true] {
                    let sort = [SortOrder(field, descending: descending)]
                    let listed = try store.images(matching: ImageQuery(sort: sort)).map(\.id)
                    #expect(listed == referenceOrder(Self.gallery, ids: ids, sort: sort), "\(field) descending: \(descending)")
                }
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func multiKeySortsMixDirections(driver: Driver) throws {
        let cases: [([SortOrder], [Int])] = [
            ([SortOrder(.format), SortOrder(.size, descending: true)], [6, 1, 2, 3, 4, 5]),
            ([SortOrder(.width), SortOrder(.height, descending: true)], [4, 3, 5, 1, 6, 2]),
            ([SortOrder(.uploaded, descending: true)], [6, 5, 4, 3, 2, 1]),
            ([SortOrder(.taken)], [4, 1, 2, 5, 3, 6]),
            // Ties (no capture time) break by id in the last key's direction.
            ([SortOrder(.taken, descending: true)], [5, 2, 1, 4, 6, 3]),
            ([SortOrder(.owner), SortOrder(.uploaded, descending: true), SortOrder(.name)], [6, 3, 1, 5, 2, 4]),
            ([SortOrder(.iso, descending: true), SortOrder(.size)], [2, 5, 4, 1, 3, 6]),
            ([SortOrder(.id, descending: true), SortOrder(.size)], [6, 5, 4, 3, 2, 1]),
            ([], Self.everyone),
        ]
        try withGallery(driver) { store, ids throws in
            for (sort, expected) in cases {
                #expect(try positions(store, ids, ImageQuery(sort: sort)) == expected, "\(sort)")
                #expect(referenceOrder(Self.gallery, ids: ids, sort: sort) == expected.map { ids[$0 - 1] }, "reference \(sort)")
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func filtersThatExcludeNullsKeepTheOrder(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            let afterNewYear = QueryPredicate.compare(.taken, .greaterOrEqual, .text("2024"))
            #expect(try positions(store, ids, ImageQuery(predicate: afterNewYear, sort: [SortOrder(.taken)])) == [1, 2, 5])
            let wide = QueryPredicate.compare(.width, .greater, .integer(0))
            #expect(try positions(store, ids, ImageQuery(predicate: wide, sort: [SortOrder(.width), SortOrder(.height)])) == [3, 4, 5, 1])
            let box = QueryPredicate.boundingBox(south: -90, west: -180, north: 90, east: 180)
            #expect(try positions(store, ids, ImageQuery(predicate: box, sort: [SortOrder(.latitude), SortOrder(.longitude, descending: true)]))
                    == [2, 4, 1, 6, 5])
        }
    }

    // MARK: Paging

    static let pagingSorts: [[SortOrder]] = [
        [SortOrder(.id)],
        [SortOrder(.taken)],
        [SortOrder(.taken, descending: true)],
        [SortOrder(.width), SortOrder(.height, descending: true)],
        [SortOrder(.format), SortOrder(.size, descending: true)],
        [SortOrder(.make, descending: true), SortOrder(.iso)],
        [SortOrder(.uploaded), SortOrder(.pixels, descending: true)],
    ]

    @Test(arguments: Driver.allCases)
    func limitAndOffsetCutTheSortedList(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            for sort in Self.pagingSorts {
                let all = try store.images(matching: ImageQuery(sort: sort)).map(\.id)
                for offset in 0...7 {
                    for limit in [0, 1, 2, 5, nil] as [Int?] {
                        let page = try store.images(matching: ImageQuery(sort: sort, limit: limit, offset: offset)).map(\.id)
                        let end = limit.map { min(all.count, offset + $0) } ?? all.count
                        #expect(page == Array(all[min(offset, all.count)..<max(min(offset, all.count), end)]),
                                "\(sort) offset \(offset) limit \(String(describing: limit))")
                    }
                }
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func keysetPagesMatchOffsetPages(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            for predicate in [QueryPredicate.all, .not(.compare(.format, .equal, .text("gif")))] {
                for sort in Self.pagingSorts {
                    let all = try store.images(matching: ImageQuery(predicate: predicate, sort: sort)).map(\.id)
                    for size in 1...4 {
                        var walked: [Int64] = []
                        var after: Int64?
                        var page = 0
                        repeat {
                            let rows = try store.images(matching: ImageQuery(predicate: predicate, sort: sort, limit: size, after: after)).map(\.id)
                            let byOffset = try store.images(matching: ImageQuery(predicate: predicate, sort: sort, limit: size, offset: page * size)).map(\.id)
                            #expect(rows == byOffset, "\(sort) size \(size) page \(page)")
                            if rows.isEmpty { break }
                            walked += rows
                            after = rows.last
                            page += 1
                        } while page < 10
                        #expect(walked == all, "\(sort) size \(size)")
                    }
                    // Each row's successors are exactly the rest of the list.
                    for (index, id) in all.enumerated() {
                        let rest = try store.images(matching: ImageQuery(predicate: predicate, sort: sort, after: id)).map(\.id)
                        #expect(rest == Array(all[(index + 1)...]), "\(sort) after \(id)")
                    }
                }
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func keysetPagingIsStableWhileImagesAreInserted(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            let sort = [SortOrder(.size), SortOrder(.taken, descending: true)]
            let first = try store.images(matching: ImageQuery(sort: sort, limit: 3)).map(\.id)
            #expect(first == [ids[1], ids[3], ids[2]])
            // One that sorts before the cursor, one tied with it on every key (its higher id
            // puts it first: the last key is descending), one after it.
            let before = try store.store(sample("f1", byteSize: 500))
            let tied = try store.store(sample("f2", byteSize: 2_000))
            let later = try store.store(sample("f3", byteSize: 2_500))
            let second = try store.images(matching: ImageQuery(sort: sort, limit: 3, after: first.last)).map(\.id)
            #expect(second == [later, ids[0], ids[5]])
            #expect(!second.contains(before) && !second.contains(tied))
            let rest = try store.images(matching: ImageQuery(sort: sort, after: second.last)).map(\.id)
            #expect(rest == [ids[4]])
        }
    }

    @Test(arguments: Driver.allCases)
    func keysetPagingAfterAnImageTheFilterExcludes(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            let png = QueryPredicate.compare(.format, .equal, .text("png"))
            let bySize = [SortOrder(.size)]
            #expect(try positions(store, ids, ImageQuery(predicate: png, sort: bySize, after: ids[1])) == [4, 3])
            #expect(try positions(store, ids, ImageQuery(predicate: png, sort: bySize, after: ids[0])) == [])
            // Image 6 has no capture time: it is after every image that has one.
            let dated = QueryPredicate.compare(.taken, .greater, .text("2000"))
            #expect(try positions(store, ids, ImageQuery(predicate: dated, sort: [SortOrder(.taken)], after: ids[5])) == [])
            #expect(try positions(store, ids, ImageQuery(predicate: dated, sort: [SortOrder(.taken, descending: true)], after: ids[2])) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func keysetPagingAfterAMissingImageListsNothing(driver: Driver) throws {
        try withGallery(driver) { store, ids throws in
            #expect(try store.images(matching: ImageQuery(after: 999)) == [])
            #expect(try store.images(matching: ImageQuery(sort: [SortOrder(.taken)], after: -1)) == [])
            _ = try store.delete(id: ids[2])
            #expect(try store.images(matching: ImageQuery(sort: [SortOrder(.size)], limit: 2, after: ids[2])) == [])
        }
    }

    // MARK: Streaming

    @Test(arguments: Driver.allCases)
    func forEachImageStreamsInOrderAndStopsWhenTheBodyThrows(driver: Driver) throws {
        struct Enough: Error {}
        try withGallery(driver) { store, ids throws in
            let query = ImageQuery(sort: [SortOrder(.taken, descending: true)], limit: 5)
            var seen: [ImageRecord] = []
            try store.forEachImage(matching: query) { seen.append($0) }
            #expect(seen == (try store.images(matching: query)))

            var visited = 0
            #expect(throws: Enough.self) {
                try store.forEachImage(matching: ImageQuery()) { _ in
                    visited += 1
                    if visited == 2 { throw Enough() }
                }
            }
            #expect(visited == 2)
            // The walk left nothing open: writes and reads go on.
            let id = try store.store(sample("e1"))
            #expect(try store.count() == 7)
            #expect(try store.images(matching: ImageQuery(after: ids[5])).map(\.id) == [id])
        }
    }

    @Test(arguments: Driver.allCases)
    func anotherStoreCanWriteWhileOneStreams(driver: Driver) throws {
        let catalogue = try driver.makeCatalogue()
        defer { catalogue.remove() }
        let reader = try catalogue.openStore()
        let writer = try catalogue.openStore()
        for image in Self.gallery { _ = try writer.store(image) }
        var walked = 0
        try reader.forEachImage(matching: ImageQuery()) { _ in
            if walked == 0 { _ = try writer.store(sample("e2")) }
            walked += 1
        }
        #expect(walked >= 6)
        #expect(try reader.count() == 7)
    }
}
