import CGD
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// The pixel hash: SHA-512 of the canonical pixel stream, the same for files that differ only in
/// metadata, different for any pixel change.
@Suite("pixel hash")
struct PixelHashTests {
    private let picture = FixturePicture.shapes(width: 96, height: 64, seed: 11)

    private func pixelHash(_ bytes: [UInt8], as format: ImageFormat = .jpeg, orientation: Int = 1) throws -> String {
        try #require(try fingerprints(bytes, as: format, orientation: orientation, kinds: .pixelHash).pixelSHA512)
    }

    @Test("is 128 lower-case hex digits, and only what was asked for is computed")
    func shape() throws {
        let jpeg = picture.jpeg()
        let both = try fingerprints(jpeg, as: .jpeg)
        let hash = try #require(both.pixelSHA512)
        #expect(hash.count == 128 && hash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(both.perceptualHash != nil)
        #expect(try fingerprints(jpeg, as: .jpeg, kinds: .pixelHash).perceptualHash == nil)
        #expect(try fingerprints(jpeg, as: .jpeg, kinds: .perceptualHash).pixelSHA512 == nil)
        #expect(try fingerprints(jpeg, as: .jpeg, kinds: []) == ImageFingerprints())
        #expect(try fingerprints(jpeg, as: .jpeg, kinds: .pixelHash).pixelSHA512 == hash)
    }

    @Test("a tiny PNG hashes to the SHA-512 of the documented canonical bytes, transparent pixels included")
    func canonicalBytesOfPNG() throws {
        let left = Fixtures.RGBA(10, 20, 30, alpha: 0), right = Fixtures.RGBA(200, 100, 50, alpha: 255)
        let png = Fixtures.alphaPNG(width: 3, height: 2, left: left, right: right)
        // alphaPNG: x < width / 2 is `left`.
        var rgba: [UInt8] = []
        for _ in 0..<2 {
            for x in 0..<3 {
                let c = x < 1 ? left : right
                rgba += [c.red, c.green, c.blue, c.alpha]
            }
        }
        #expect(try pixelHash(png, as: .png) == canonicalPixelHash(width: 3, height: 2, rgba: rgba))
    }

    @Test("libgd's 7-bit alpha widens to 8 bits by A = 255 − (a·255 + 63) / 127, rounded",
          arguments: [(UInt8(129), UInt8(129)), (128, 129), (127, 126), (126, 126)])
    func partialAlpha(_ alpha: (written: UInt8, canonical: UInt8)) throws {
        // libgd keeps 7 bits: it reads PNG alpha 128 and 129 both as a = 63 (widened: 129), and 126
        // and 127 as a = 64, which widens to 126 (where a·255/127 = 128.5 is rounded, not cut).
        let png = Fixtures.alphaPNG(width: 2, height: 1, left: Fixtures.RGBA(1, 2, 3, alpha: alpha.written),
                                    right: Fixtures.RGBA(4, 5, 6, alpha: 255))
        #expect(try pixelHash(png, as: .png)
                == canonicalPixelHash(width: 2, height: 1, rgba: [1, 2, 3, alpha.canonical, 4, 5, 6, 255]))
    }

    @Test("a JPEG hashes as its pixels decoded by libgd's reader (libjpeg defaults), with A = 255")
    func canonicalBytesOfJPEG() throws {
        let jpeg = picture.jpeg(quality: 80)
        let decoded = try #require(FixturePicture(decoding: jpeg))
        #expect(try pixelHash(jpeg) == canonicalPixelHash(width: decoded.width, height: decoded.height, rgba: opaqueRGBA(decoded)))
        // So a lossless copy of those pixels, in any format libgd reads, has the same pixel hash.
        #expect(try pixelHash(decoded.png(), as: .png) == pixelHash(jpeg))
    }

    @Test("EXIF stripped, changed or added, or only the orientation tag changed: the same pixel hash")
    func metadataOnly() throws {
        let original = picture.jpeg(quality: 90, exif: SimilarityStudy.originalExif)
        let hash = try pixelHash(original)
        var turned = SimilarityStudy.originalExif
        turned.orientation = 6
        #expect(try pixelHash(Fixtures.replacingExif(in: original, with: nil)) == hash)
        #expect(try pixelHash(Fixtures.replacingExif(in: original, with: SimilarityStudy.changedExif)) == hash)
        #expect(try pixelHash(Fixtures.replacingExif(in: original, with: turned), orientation: 6) == hash)
        // The orientation passed in does not matter either: the hash is of the stored pixels.
        #expect(try pixelHash(original, orientation: 8) == hash)
        let png = Fixtures.png(width: 64, height: 48, seed: 3)
        #expect(try pixelHash(Fixtures.png(width: 64, height: 48, seed: 3, exif: .sample), as: .png) == pixelHash(png, as: .png))
    }

    @Test("one pixel changed by one level changes the pixel hash; so does the size")
    func onePixel() throws {
        let edited = picture.copy()
        let c = edited.pixel(40, 30)
        edited.setPixel(40, 30, Fixtures.RGBA(c.red, c.green, c.blue == 255 ? 254 : c.blue + 1))
        #expect(try pixelHash(edited.png(), as: .png) != pixelHash(picture.png(), as: .png))
        // The same rows in another shape: 96×64 against 64×96 would share every byte but the header.
        let flat = FixturePicture(width: 6, height: 4), tall = FixturePicture(width: 4, height: 6)
        #expect(try pixelHash(flat.png(), as: .png) != pixelHash(tall.png(), as: .png))
    }

    /// The RGBA bytes of an opaque picture.
    private func opaqueRGBA(_ picture: FixturePicture) -> [UInt8] {
        var rgba: [UInt8] = []
        rgba.reserveCapacity(picture.width * picture.height * 4)
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                let c = picture.pixel(x, y)
                rgba += [c.red, c.green, c.blue, 255]
            }
        }
        return rgba
    }

    @Test("a grey JPEG is expanded to R = G = B")
    func greyJPEG() throws {
        let jpeg = Fixtures.grayscaleJPEG(width: 16, height: 8)
        let decoded = try #require(FixturePicture(decoding: jpeg))
        let rgba = opaqueRGBA(decoded)
        let grey = stride(from: 0, to: rgba.count, by: 4).allSatisfy { (i: Int) -> Bool in
            rgba[i] == rgba[i + 1] && rgba[i] == rgba[i + 2]
        }
        #expect(grey)
        #expect(try pixelHash(jpeg) == canonicalPixelHash(width: 16, height: 8, rgba: rgba))
    }

    @Test("CMYK and YCCK JPEGs hash as the thumbnail path converts them", arguments: [false, true])
    func cmykJPEG(_ ycck: Bool) throws {
        let jpeg = Fixtures.cmykJPEG(width: 64, height: 16, ycck: ycck)
        // A PNG thumbnail in a box as large as the image is the full-scale decode, converted by
        // GDThumbnailer and stored losslessly.
        let scratch = try Scratch()
        let thumbnail = try GDThumbnailer().render(path: scratch.write(jpeg), subject: "fixture", format: .jpeg, orientation: 1,
                                                   spec: ThumbnailSpec(width: 64, height: 16, format: .png),
                                                   maxPixels: defaultMaxPixels)
        let converted = try #require(FixturePicture(decoding: thumbnail.bytes))
        #expect(converted.width == 64 && converted.height == 16)
        #expect(try pixelHash(jpeg) == canonicalPixelHash(width: 64, height: 16, rgba: opaqueRGBA(converted)))
    }
}
