import ImgrepoCore
import Testing

/// `delete(id:)`.
@Suite struct DeleteTests {
    @Test(arguments: Driver.allCases)
    func deleteReturnsTheRecordAndRemovesItsNamesAndTags(driver: Driver) throws {
        try withStore(driver) { store throws in
            var image = sample("51", name: "keep.jpg", exif: camera(make: "Canon", model: "R6"))
            image.exif.tags = [ExifTag(ifd: "IFD0", name: "Make", tagID: 0x010F, text: "Canon", number: nil)]
            let id = try store.store(image)
            _ = try store.insert(sample("51", name: "other.jpg", path: "/o.jpg"))
            let neighbour = try store.store(sample("52", exif: ExifData(status: .read, tags: image.exif.tags)))

            #expect(try store.delete(id: id) == expectedRecord(image, id: id))
            #expect(try store.image(id: id) == nil)
            #expect(try store.knownNames(imageID: id) == [])
            #expect(try store.exifTags(imageID: id) == [])
            #expect(try store.contains(sha512: image.sha512) == false)
            #expect(try store.count() == 1)
            // The neighbour keeps everything.
            #expect(try store.knownNames(imageID: neighbour).count == 1)
            #expect(try store.exifTags(imageID: neighbour) == image.exif.tags)

            // Uploading the bytes again starts afresh: a new id, only the new name.
            let again = try store.store(sample("51", name: "back.jpg", path: "/b.jpg"))
            #expect(again != id)
            #expect(try store.knownNames(imageID: again).map(\.name) == ["back.jpg"])
            #expect(try store.exifTags(imageID: again) == [])
        }
    }

    @Test(arguments: Driver.allCases)
    func deletingAnUnknownIDReturnsNilAndChangesNothing(driver: Driver) throws {
        try withStore(driver) { store throws in
            #expect(try store.delete(id: 1) == nil)
            let id = try store.store(sample("61"))
            #expect(try store.delete(id: id + 1) == nil)
            #expect(try store.delete(id: id) != nil)
            #expect(try store.delete(id: id) == nil)
            #expect(try store.count() == 0)
        }
    }
}
