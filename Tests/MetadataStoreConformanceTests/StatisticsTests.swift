import ImageProbe
import ImgrepoCore
import Testing

/// `statistics(matching:)`: totals, deduplication savings, and the three breakdowns.
@Suite struct StatisticsTests {
    typealias Group = CatalogueStatistics.Group

    @Test(arguments: Driver.allCases)
    func anEmptyCatalogueHasZeroEverything(driver: Driver) throws {
        try withStore(driver) { store throws in
            let empty = CatalogueStatistics(images: 0, bytes: 0, duplicateUploads: 0, bytesSaved: 0,
                                            byFormat: [], byCamera: [], byYear: [])
            #expect(try store.statistics(matching: .all) == empty)
        }
    }

    @Test(arguments: Driver.allCases)
    func totalsAndBreakdownsOverTheGallery(driver: Driver) throws {
        try withStore(driver) { store throws in
            let ids = try QueryTests.gallery.map { try store.store($0) }
            // Three more names for known images; the fourth repeats a name and path already known.
            _ = try store.insert(sample("01", name: "copy.jpg"))
            _ = try store.insert(sample("01", name: "copy 2.jpg"))
            _ = try store.insert(sample("04", name: "x.png"))
            _ = try store.insert(sample("01", name: "IMG_0001.jpg"))
            #expect(try store.knownNames(imageID: ids[0]).count == 3)

            let stats = try store.statistics(matching: .all)
            #expect(stats.images == 6)
            #expect(stats.bytes == 15_000)
            #expect(stats.duplicateUploads == 3)
            #expect(stats.bytesSaved == 2 * 3_000 + 1_000)
            // Most images first, ties by key.
            #expect(stats.byFormat == [
                Group(key: "jpeg", images: 2, bytes: 4_000), Group(key: "png", images: 2, bytes: 3_000),
                Group(key: "gif", images: 1, bytes: 3_000), Group(key: "tiff", images: 1, bytes: 5_000),
            ])
            // The brand is not repeated when the model starts with it; no camera sorts last.
            #expect(stats.byCamera == [
                Group(key: "100 Optics FooXBar", images: 1, bytes: 5_000),
                Group(key: "100% Optics Foo_Bar", images: 1, bytes: 1_000),
                Group(key: "Back\\slash", images: 1, bytes: 3_000),
                Group(key: "Canon EOS R5", images: 1, bytes: 3_000),
                Group(key: "NIKON Z 9", images: 1, bytes: 1_000),
                Group(key: nil, images: 1, bytes: 2_000),
            ])
            // By year, images without a capture time last.
            #expect(stats.byYear == [
                Group(key: "2023", images: 1, bytes: 1_000), Group(key: "2024", images: 3, bytes: 9_000),
                Group(key: nil, images: 2, bytes: 5_000),
            ])
        }
    }

    @Test(arguments: Driver.allCases)
    func statisticsFollowThePredicate(driver: Driver) throws {
        try withStore(driver) { store throws in
            for image in QueryTests.gallery { _ = try store.store(image) }
            _ = try store.insert(sample("01", name: "copy.jpg"))
            _ = try store.insert(sample("04", name: "x.png"))
            let png = try store.statistics(matching: .compare(.format, .equal, .text("png")))
            #expect(png.images == 2 && png.bytes == 3_000 && png.duplicateUploads == 1 && png.bytesSaved == 1_000)
            #expect(png.byFormat == [Group(key: "png", images: 2, bytes: 3_000)])
            #expect(png.byCamera == [Group(key: "100% Optics Foo_Bar", images: 1, bytes: 1_000), Group(key: nil, images: 1, bytes: 2_000)])
            #expect(png.byYear == [Group(key: "2023", images: 1, bytes: 1_000), Group(key: nil, images: 1, bytes: 2_000)])
            let none = try store.statistics(matching: .or([]))
            #expect(none.images == 0 && none.byFormat.isEmpty && none.byCamera.isEmpty && none.byYear.isEmpty)
        }
    }

    @Test(arguments: Driver.allCases)
    func camerasWithTheSameNameAreOneGroupAndLargerGroupsComeFirst(driver: Driver) throws {
        try withStore(driver) { store throws in
            _ = try store.store(sample("c1", byteSize: 10, exif: exif(make: "Canon", model: "EOS R5")))
            _ = try store.store(sample("c2", byteSize: 20, exif: exif(make: "Canon", model: "Canon EOS R5")))
            _ = try store.store(sample("c3", byteSize: 40, exif: exif(make: "NIKON CORPORATION", model: "NIKON Z 6")))
            _ = try store.store(sample("c4", byteSize: 80, exif: exif(model: "Pixel 7")))
            _ = try store.store(sample("c5", byteSize: 160, exif: exif(make: "Apple")))
            _ = try store.store(sample("c6", byteSize: 320, exif: exif(make: "Apple")))
            let cameras = try store.statistics(matching: .all).byCamera
            #expect(cameras == [
                Group(key: "Apple", images: 2, bytes: 480), Group(key: "Canon EOS R5", images: 2, bytes: 30),
                Group(key: "NIKON Z 6", images: 1, bytes: 40), Group(key: "Pixel 7", images: 1, bytes: 80),
            ])
        }
    }
}
