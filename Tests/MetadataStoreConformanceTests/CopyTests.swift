import ImgrepoCore
import Testing

/// `copyIn(_:)`: what `imgrepo migrate-catalog` moves between drivers.
@Suite struct CopyTests {
    /// Every pair of drivers, source first: a copy within a driver and across drivers.
    static var pairs: [(Driver, Driver)] {
        Driver.allCases.flatMap { source in Driver.allCases.map { (source, $0) } }
    }

    /// A catalogue with gaps in its ids, several names per image, tags, EXIF and XMP fields
    /// (keywords in order), and NULLs.
    func fill(_ store: any MetadataStore) throws -> [CatalogueImage] {
        var tagged = sample("a1", name: "tagged.jpg", exif: exif(make: "Canon", model: "R5", taken: "2023-06-01T12:34:56.123",
                                                                 offset: "+02:00", iso: 800, fNumber: 2.8, latitude: 48.85, longitude: 2.35))
        tagged.exif.tags = [
            ExifTag(ifd: "IFD0", name: "Make", tagID: 0x010F, text: "Canon", number: nil),
            ExifTag(ifd: "ExifIFD", name: "ISOSpeedRatings", tagID: 0x8827, text: "800", number: 800),
        ]
        tagged.exif.summary.title = "Tower"
        tagged.exif.summary.keywords = ["paris", "night", "Éclat"]
        tagged.exif.summary.rating = 4
        _ = try store.store(tagged)
        _ = try store.insert(sample("a1", name: "again.jpg", path: nil, owner: "bob", uploadedAt: instant(60)))
        let gone = try store.store(sample("a2", name: "deleted.jpg"))
        _ = try store.store(sample("a3", name: "plain.png", path: nil, format: .png, width: nil, height: nil))
        _ = try store.delete(id: gone)
        _ = try store.store(sample("a4", name: "Ünïcode 名前.gif", format: .gif, exif: ExifData(status: .unreadable)))
        return try store.images(matching: ImageQuery()).map {
            CatalogueImage(record: $0, names: try store.knownNames(imageID: $0.id), tags: try store.exifTags(imageID: $0.id))
        }
    }

    @Test(arguments: pairs)
    func aCopyKeepsIdsNamesTagsAndFields(source: Driver, target: Driver) throws {
        try withStore(source) { from throws in
            let images = try fill(from)
            #expect(images.map(\.record.id) == [1, 3, 4], "a gap where the deleted image was")
            try withStore(target) { to throws in
                try to.copyIn(images)
                let copied = try to.images(matching: ImageQuery()).map {
                    CatalogueImage(record: $0, names: try to.knownNames(imageID: $0.id), tags: try to.exifTags(imageID: $0.id))
                }
                #expect(copied == images)
                #expect(try to.count() == 3)
                #expect(try to.count(matching: .all) == 3)
                // The copy behaves as the original: duplicates found, new ids above the copied ones.
                #expect(try to.insert(sample("a3", name: "dup.png")) == .duplicate(id: 3))
                #expect(try to.store(sample("b1")) > 4)
            }
        }
    }

    /// The mark `migrate-catalog` carries over: ids of deleted images, the last one above all,
    /// are never given again.
    @Test(arguments: pairs)
    func theHighestIdGivenTravelsWithACopy(source: Driver, target: Driver) throws {
        try withStore(source) { from throws in
            let images = try fill(from)
            let top = try from.store(sample("a5", name: "top.jpg"))
            _ = try from.delete(id: top)
            #expect(top == 5)
            #expect(try from.highestAssignedID() == top, "a deleted image's id still counts")
            try withStore(target) { to throws in
                #expect(try to.highestAssignedID() == 0)
                try to.copyIn(images)
                #expect(try to.highestAssignedID() == 4)
                try to.reserveIDs(through: try from.highestAssignedID())
                #expect(try to.highestAssignedID() == top)
                try to.reserveIDs(through: 2)
                #expect(try to.highestAssignedID() == top, "never lowered")
                #expect(try to.store(sample("b1")) == top + 1)
                #expect(try to.highestAssignedID() == top + 1)
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func reservingIdsInACatalogueThatNeverHeldAnImage(driver: Driver) throws {
        try withStore(driver) { store throws in
            try store.reserveIDs(through: 7)
            #expect(try store.highestAssignedID() == 7)
            #expect(try store.store(sample("c1")) == 8)
        }
    }

    @Test(arguments: Driver.allCases)
    func aCopyThatClashesCopiesNothing(driver: Driver) throws {
        try withStore(driver) { from throws in
            let images = try fill(from)
            try withStore(driver) { to throws in
                _ = try to.store(sample("a3", name: "already.png"))
                #expect(throws: ImgrepoError.self) { try to.copyIn(images) }
                #expect(try to.count() == 1, "the transaction rolled back")
                #expect(try to.knownNames(imageID: 1).map(\.name) == ["already.png"])
                try to.copyIn([])
            }
        }
    }
}
