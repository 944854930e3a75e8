import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// The hash functions themselves, on grey images given directly.
@Suite("perceptual hash algorithms")
struct PerceptualHashAlgorithmTests {
    /// A 32×32 grey image with structure in both directions.
    private let scene: [Double] = (0..<1024).map { i in
        let (x, y) = (Double(i % 32), Double(i / 32))
        return 128 + 60 * sin(x / 5) * cos(y / 7) + (x > 20 && y < 12 ? 50 : 0)
    }

    @Test("dct sets 32 bits (the median splits the 64 coefficients) for a picture without ties")
    func balanced() {
        #expect(PerceptualHashAlgorithm.dct.hash(gray: scene).nonzeroBitCount == 32)
        #expect(PerceptualHashAlgorithm.dctInterior.hash(gray: scene).nonzeroBitCount == 32)
    }

    @Test("dct ignores brightness and contrast changes: a·grey + b gives the same bits",
          arguments: [(1.1, 0.0), (0.9, 0.0), (1.0, 12.0), (0.5, 60.0)])
    func affine(_ change: (Double, Double)) {
        let edited = scene.map { $0 * change.0 + change.1 }
        for algorithm in PerceptualHashAlgorithm.allCases {
            let grid = algorithm == .difference ? Array(scene.prefix(72)) : scene
            let changed = algorithm == .difference ? Array(edited.prefix(72)) : edited
            #expect(algorithm.hash(gray: grid) == algorithm.hash(gray: changed), "\(algorithm)")
        }
    }

    @Test("dct's first bit is the DC term, set for any picture brighter than black")
    func dcBit() {
        #expect(PerceptualHashAlgorithm.dct.hash(gray: scene) >> 63 == 1)
    }

    @Test("dct sees a left-right mirror: the odd horizontal frequencies flip")
    func mirror() {
        let mirrored: [Double] = (0..<1024).map { (i: Int) -> Double in
            let (row, column) = (i / 32, i % 32)
            return scene[row * 32 + 31 - column]
        }
        let a = PerceptualHashAlgorithm.dct.hash(gray: scene), b = PerceptualHashAlgorithm.dct.hash(gray: mirrored)
        #expect(hammingDistance(a, b) > ImageFingerprints.defaultMaxDistance)
    }

    @Test("difference: bit 63 − (8·row + column) says pixel column + 1 is brighter than column")
    func differenceBits() {
        // Rising along every row: all 64 bits.
        let rising = (0..<72).map { Double($0 % 9) }
        #expect(PerceptualHashAlgorithm.difference.hash(gray: rising) == UInt64.max)
        // Only the first row rises: the top byte.
        let firstRow = (0..<72).map { $0 < 9 ? Double($0) : 0 }
        #expect(PerceptualHashAlgorithm.difference.hash(gray: firstRow) == 0xFF00_0000_0000_0000)
        // Only the last pair of the last row: bit 0.
        var last = [Double](repeating: 0, count: 72)
        last[71] = 1
        #expect(PerceptualHashAlgorithm.difference.hash(gray: last) == 1)
    }

    @Test("the grid sizes are 32×32 for the DCT hashes and 9×8 for the difference hash")
    func gridSizes() {
        #expect(PerceptualHashAlgorithm.dct.gridSize == (32, 32))
        #expect(PerceptualHashAlgorithm.dctInterior.gridSize == (32, 32))
        #expect(PerceptualHashAlgorithm.difference.gridSize == (9, 8))
        #expect(GDFingerprinter.perceptualAlgorithm == .dct)
    }
}

/// The perceptual hash of files: edited copies stay within the default distance, different
/// pictures stay beyond it, orientation is applied.
@Suite("perceptual hash")
struct PerceptualHashTests {
    private let limit = ImageFingerprints.defaultMaxDistance
    private let sources: [FixturePicture] = [
        FixturePicture.photoLike(width: 320, height: 240, seed: 5),
        FixturePicture.shapes(width: 320, height: 240, seed: 6),
        FixturePicture.text(width: 240, height: 320, seed: 7),
        FixturePicture.texture(width: 320, height: 240, seed: 8),
        FixturePicture.shapes(width: 300, height: 300, seed: 9),
    ]

    @Test("re-encoded at JPEG quality 75 and resized to 50%, a picture stays within the default distance")
    func reencodedAndResized() throws {
        for (i, source) in sources.enumerated() {
            let original = try perceptualHash(source.jpeg(quality: 90))
            let q75 = try perceptualHash(source.jpeg(quality: 75))
            let half = try perceptualHash(source.resized(width: source.width / 2, height: source.height / 2).jpeg(quality: 90))
            #expect(hammingDistance(original, q75) <= limit, "source \(i) at q75: \(hammingDistance(original, q75))")
            #expect(hammingDistance(original, half) <= limit, "source \(i) at 50%: \(hammingDistance(original, half))")
        }
    }

    @Test("different pictures are further apart than the default distance")
    func differentPictures() throws {
        let hashes = try sources.map { try perceptualHash($0.jpeg(quality: 90)) }
        for i in hashes.indices {
            for j in hashes.indices where j > i {
                #expect(hammingDistance(hashes[i], hashes[j]) > limit + 4, "sources \(i) and \(j): \(hammingDistance(hashes[i], hashes[j]))")
            }
        }
    }

    @Test("the same picture in JPEG, PNG and WebP has about the same hash", arguments: [ImageFormat.png, .webp])
    func formats(_ format: ImageFormat) throws {
        let source = sources[1]
        let other = format == .png ? source.png() : source.webp(quality: 90)
        let distance = hammingDistance(try perceptualHash(source.jpeg(quality: 95)), try perceptualHash(other, as: format))
        #expect(distance <= limit, "\(distance)")
    }

    @Test("pixels turned and tagged to compensate (orientation 2–8) hash like the upright picture", arguments: 2...8)
    func compensatedOrientation(_ orientation: Int) throws {
        // Fixtures.orientedJPEG stores the quadrant picture per EXIF's own words, so that applying
        // `orientation` shows it upright.
        let upright = try perceptualHash(Fixtures.orientedJPEG(orientation: 1, width: 96, height: 64))
        let stored = Fixtures.orientedJPEG(orientation: orientation, width: 96, height: 64)
        #expect(hammingDistance(try perceptualHash(stored, orientation: orientation), upright) <= 2)
        // The orientation is applied: read without it, the stored picture hashes otherwise. (How
        // far apart depends on the picture: this one's transpose, 5, is close to it.)
        #expect(try perceptualHash(stored, orientation: 1) != perceptualHash(stored, orientation: orientation))
    }

    @Test("rotated by EXIF orientation: the turned-and-tagged copy is similar, the tag-only copy has the same pixels")
    func orientationStudyCases() throws {
        let original = SimilarityStudy.original(of: SimilarityStudy.Source(name: "s", kind: "shapes", picture: sources[0]))
        let base = try fingerprints(original)
        for t in [SimilarityStudy.Transformation.rotated6, .rotated8] {
            let turned = try fingerprints(SimilarityStudy.variant(t, of: original))
            #expect(hammingDistance(try #require(turned.perceptualHash), try #require(base.perceptualHash)) <= limit, "\(t)")
            #expect(turned.pixelSHA512 != base.pixelSHA512)
        }
        let tagOnly = try fingerprints(SimilarityStudy.variant(.orientationTagOnly, of: original))
        #expect(tagOnly.pixelSHA512 == base.pixelSHA512)
        #expect(hammingDistance(try #require(tagOnly.perceptualHash), try #require(base.perceptualHash)) > limit)
    }

    @Test("HEIF ignores the EXIF orientation, as for thumbnails")
    func heifOrientation() throws {
        guard GDThumbnailer.decodableFormats().contains(.heic) else { return }
        let heif = Fixtures.heif(width: 64, height: 48)
        #expect(try perceptualHash(heif, as: .heic, orientation: 6) == perceptualHash(heif, as: .heic, orientation: 1))
    }

    @Test("transparent pixels are composited on white: a transparent half hashes like a white half")
    func alphaOnWhite() throws {
        let transparent = Fixtures.alphaPNG(width: 64, height: 32, left: Fixtures.RGBA(0, 0, 0, alpha: 0),
                                            right: Fixtures.RGBA(0, 0, 255))
        let white = Fixtures.alphaPNG(width: 64, height: 32, left: .white, right: Fixtures.RGBA(0, 0, 255))
        let black = Fixtures.alphaPNG(width: 64, height: 32, left: .black, right: Fixtures.RGBA(0, 0, 255))
        #expect(try perceptualHash(transparent, as: .png) == perceptualHash(white, as: .png))
        #expect(try perceptualHash(transparent, as: .png) != perceptualHash(black, as: .png))
    }

    @Test("a picture smaller than the 32×32 grid is enlarged, not refused")
    func tinyPicture() throws {
        let tiny = FixturePicture.shapes(width: 7, height: 5, seed: 3)
        let hash = try perceptualHash(tiny.png(), as: .png)
        #expect(hash == (try perceptualHash(tiny.png(), as: .png)))
        _ = try perceptualHash(tiny.jpeg(quality: 95))
    }
}
