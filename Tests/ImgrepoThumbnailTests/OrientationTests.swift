import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import Testing

/// EXIF orientation is applied exactly: every fixture is stored turned or mirrored as its
/// orientation says, so every thumbnail must show the same upright picture.
@Suite("orientation")
struct OrientationTests {
    @Test("each EXIF orientation comes out right side up", arguments: 1...8)
    func upright(orientation: Int) throws {
        let bytes = Fixtures.orientedJPEG(orientation: orientation, width: 64, height: 48)
        let thumbnail = try render(bytes, as: .jpeg, orientation: orientation, box: (32, 32))
        // The picture is 64×48 upright whatever the storage; 5–8 store it as 48×64.
        #expect((thumbnail.width, thumbnail.height) == (32, 24))
        expectQuadrants(try decode(thumbnail))
    }

    @Test("each orientation is also right at 1:1, without scaled decoding", arguments: [2, 5, 6, 7, 8])
    func uprightFullSize(orientation: Int) throws {
        let bytes = Fixtures.orientedJPEG(orientation: orientation, width: 64, height: 48)
        let thumbnail = try render(bytes, as: .jpeg, orientation: orientation, box: (100, 100))
        #expect((thumbnail.width, thumbnail.height) == (64, 48))
        expectQuadrants(try decode(thumbnail))
    }

    @Test("orientations 5–8 swap width and height relative to the stored pixels", arguments: 5...8)
    func swapped(orientation: Int) throws {
        // Stored 48×64; rendered without applying the orientation it would be 48×64.
        let bytes = Fixtures.orientedJPEG(orientation: orientation, width: 64, height: 48)
        let asStored = try render(bytes, as: .jpeg, orientation: 1, box: (100, 100))
        let upright = try render(bytes, as: .jpeg, orientation: orientation, box: (100, 100))
        #expect((asStored.width, asStored.height) == (48, 64))
        #expect((upright.width, upright.height) == (64, 48))
    }

    @Test("an orientation outside 1–8 is treated as 1", arguments: [0, 9, -3])
    func outOfRange(orientation: Int) throws {
        let bytes = Fixtures.orientedJPEG(orientation: 1)
        let expected = try render(bytes, as: .jpeg, orientation: 1, box: (32, 32))
        let actual = try render(bytes, as: .jpeg, orientation: orientation, box: (32, 32))
        #expect(actual.bytes == expected.bytes)
    }

    @Test("EXIF orientation is ignored for HEIF, whose container transformations win")
    func heif() throws {
        // Upright pixels, no irot: an EXIF orientation of 6 next to them would be stale.
        let thumbnail = try render(Fixtures.heif(), as: .heic, orientation: 6, box: (32, 32))
        #expect((thumbnail.width, thumbnail.height) == (32, 24))
        expectQuadrants(try decode(thumbnail))
    }

    @Test("EXIF orientation applies to AVIF, which libgd decodes as stored")
    func avif() throws {
        let thumbnail = try render(Fixtures.avif(), as: .avif, orientation: 3, box: (32, 32))
        let image = try decode(thumbnail)
        #expect((image.width, image.height) == (32, 24))
        #expect(near(image.pixel(8, 6), Fixtures.quadrantColors.bottomRight, tolerance: 16), "\(image.pixel(8, 6))")
        #expect(near(image.pixel(24, 18), Fixtures.quadrantColors.topLeft, tolerance: 16), "\(image.pixel(24, 18))")
    }

    @Test("orientation applies to libgd formats too")
    func pngOrientation() throws {
        // A PNG of the quadrant picture, stored as is, shown with orientation 3 (turned 180°):
        // the white quadrant comes to the top left.
        let thumbnail = try render(Fixtures.quadrantPicture("png"), as: .png, orientation: 3, box: (64, 64))
        let image = try decode(thumbnail)
        #expect(near(image.pixel(4, 4), Fixtures.quadrantColors.bottomRight, tolerance: 0))
        #expect(near(image.pixel(60, 44), Fixtures.quadrantColors.topLeft, tolerance: 0))
    }
}
