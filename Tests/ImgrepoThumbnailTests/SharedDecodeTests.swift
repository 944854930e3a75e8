import Dispatch
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
@testable import ImgrepoThumbnail
import Synchronization
import Testing

/// `GDThumbnailAndFingerprintRenderer` gives what `GDThumbnailer` and `GDFingerprinter` give
/// alone, byte for byte and bit for bit, errors included, from fewer decodes.
@Suite("thumbnails and fingerprints from one decode")
struct SharedDecodeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var format: ImageFormat
        var orientation = 1
        /// (box side, encoding)
        var specs: [(Int, ThumbnailFormat)]
        var kinds: FingerprintKinds = .perceptualHash
        /// Decodes of the combined call; alone, each spec and each fingerprint kind costs one.
        var decodes: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 1200×900: the grey image and thumbnails up to 150×113 both decode at 1/8.
        Case(name: "jpeg, thumbnails at the grey image's 1/8 scale: one decode", bytes: Fixtures.jpeg(width: 1200, height: 900),
             format: .jpeg, specs: [(128, .jpeg), (128, .png), (64, .webp)], decodes: 1),
        // 256×192 needs 1/4 (300×225): the grey image keeps its own 1/8 decode.
        Case(name: "jpeg, a thumbnail at another scale: a decode of its own", bytes: Fixtures.jpeg(width: 1200, height: 900),
             format: .jpeg, specs: [(256, .jpeg), (128, .png), (1024, .jpeg)], decodes: 3),
        Case(name: "jpeg, both hashes: the pixel hash's full decode stays separate", bytes: Fixtures.jpeg(width: 1200, height: 900),
             format: .jpeg, specs: [(128, .jpeg)], kinds: .all, decodes: 2),
        // 40×30: the full scale serves the grey image and the thumbnails that are the decode
        // itself; 16×12 decodes at 1/2, the pixel hash at full size again.
        Case(name: "small jpeg, thumbnails the size of the decode", bytes: Fixtures.jpeg(width: 40, height: 30),
             format: .jpeg, specs: [(256, .jpeg), (256, .png), (16, .webp)], kinds: .all, decodes: 3),
        Case(name: "jpeg with EXIF orientation 6", bytes: Fixtures.orientedJPEG(orientation: 6, width: 640, height: 480),
             format: .jpeg, orientation: 6, specs: [(64, .png), (48, .jpeg)], kinds: .all, decodes: 2),
        Case(name: "jpeg with EXIF orientation 3", bytes: Fixtures.orientedJPEG(orientation: 3, width: 640, height: 480),
             format: .jpeg, orientation: 3, specs: [(80, .png)], decodes: 1),
        Case(name: "cmyk jpeg", bytes: Fixtures.cmykJPEG(width: 640, height: 320), format: .jpeg,
             specs: [(64, .png), (64, .jpeg)], decodes: 1),
        Case(name: "ycck jpeg", bytes: Fixtures.cmykJPEG(width: 640, height: 320, ycck: true), format: .jpeg,
             specs: [(64, .png)], decodes: 1),
        Case(name: "greyscale jpeg", bytes: Fixtures.grayscaleJPEG(width: 640, height: 320), format: .jpeg,
             specs: [(64, .png)], kinds: .all, decodes: 2),
        Case(name: "progressive jpeg", bytes: Fixtures.progressiveJPEG(width: 640, height: 480), format: .jpeg,
             specs: [(64, .jpeg)], decodes: 1),
        // 32×16 with alpha: every 256 box is the decode itself; JPEG output composites it on white.
        Case(name: "png with alpha", bytes: Fixtures.alphaPNG(), format: .png,
             specs: [(256, .jpeg), (256, .png), (256, .webp), (8, .jpeg), (8, .png)], kinds: .all, decodes: 1),
        Case(name: "png with alpha, orientation 8", bytes: Fixtures.alphaPNG(width: 60, height: 40), format: .png, orientation: 8,
             specs: [(256, .jpeg), (256, .png), (20, .webp)], kinds: .all, decodes: 1),
        Case(name: "palette png with transparency", bytes: Fixtures.palettePNGWithTransparency(), format: .png,
             specs: [(256, .jpeg), (256, .png)], kinds: .all, decodes: 1),
        Case(name: "png", bytes: Fixtures.png(width: 300, height: 200), format: .png,
             specs: [(256, .jpeg), (64, .png), (1024, .webp)], kinds: .all, decodes: 1),
        Case(name: "animated gif", bytes: Fixtures.animatedGIF(), format: .gif,
             specs: [(256, .png), (8, .jpeg)], kinds: .all, decodes: 1),
        Case(name: "gif", bytes: Fixtures.gif(width: 200, height: 150), format: .gif, specs: [(64, .jpeg)], kinds: .all, decodes: 1),
        Case(name: "webp with alpha", bytes: Fixtures.alphaWebP(), format: .webp,
             specs: [(256, .jpeg), (256, .webp), (8, .png)], kinds: .all, decodes: 1),
        Case(name: "webp", bytes: Fixtures.webp(width: 200, height: 100), format: .webp, specs: [(64, .jpeg)], decodes: 1),
        Case(name: "tiff", bytes: Fixtures.quadrantPicture("tiff"), format: .tiff, orientation: 6,
             specs: [(32, .png), (256, .jpeg)], kinds: .all, decodes: 1),
        Case(name: "bmp", bytes: Fixtures.quadrantPicture("bmp"), format: .bmp, specs: [(32, .png)], kinds: .all, decodes: 1),
        Case(name: "heic", bytes: Fixtures.heif(), format: .heic, orientation: 6, specs: [(32, .png)], kinds: .all, decodes: 1),
        Case(name: "no thumbnails left to make", bytes: Fixtures.jpeg(width: 1200, height: 900), format: .jpeg,
             specs: [], kinds: .all, decodes: 2),
    ]

    @Test("the same thumbnails and fingerprints as the separate calls, from fewer decodes", arguments: cases)
    func sameOutputs(_ c: Case) throws {
        let scratch = try Scratch()
        let path = try scratch.write(c.bytes)
        let specs = try c.specs.map { try ThumbnailSpec(size: $0.0, format: $0.1) }
        let combined = GDThumbnailAndFingerprintRenderer().render(path: path, subject: "fixture", format: c.format,
                                                                  orientation: c.orientation, specs: specs, kinds: c.kinds,
                                                                  maxPixels: defaultMaxPixels)
        #expect(combined.decodes == c.decodes)
        #expect(combined.outputs.thumbnails.count == specs.count)
        for (spec, made) in zip(specs, combined.outputs.thumbnails) {
            let alone = try GDThumbnailer().render(path: path, subject: "fixture", format: c.format, orientation: c.orientation,
                                                   spec: spec, maxPixels: defaultMaxPixels)
            let shared = try made.get()
            #expect(shared.bytes == alone.bytes, "\(spec.width) \(spec.format)")
            #expect(shared.width == alone.width && shared.height == alone.height, "\(spec.width) \(spec.format)")
        }
        let alone = try GDFingerprinter().fingerprints(path: path, subject: "fixture", format: c.format,
                                                       orientation: c.orientation, kinds: c.kinds, maxPixels: defaultMaxPixels)
        let shared = try combined.outputs.fingerprints.get()
        #expect(shared == alone)
        #expect((shared.perceptualHash != nil) == c.kinds.contains(.perceptualHash))
        #expect((shared.pixelSHA512 != nil) == c.kinds.contains(.pixelHash))
    }

    @Test("a JPEG's perceptual hash is the same whatever thumbnails are asked with it")
    func perceptualHashIndependentOfThumbnails() throws {
        let scratch = try Scratch()
        let path = try scratch.write(Fixtures.jpeg(width: 1600, height: 1200, seed: 5))
        let hashes = try [[], [64], [200], [256], [512, 64], [2000]].map { sides in
            let specs = try sides.map { try ThumbnailSpec(size: $0) }
            return try GDThumbnailAndFingerprintRenderer()
                .thumbnailsAndFingerprints(path: path, subject: "fixture", format: .jpeg, orientation: 1, specs: specs,
                                           kinds: .perceptualHash, maxPixels: defaultMaxPixels)
                .fingerprints.get().perceptualHash
        }
        let alone = try GDFingerprinter().fingerprints(path: path, subject: "fixture", format: .jpeg, orientation: 1,
                                                       kinds: .perceptualHash, maxPixels: defaultMaxPixels).perceptualHash
        #expect(alone != nil)
        #expect(hashes.allSatisfy { $0 == alone })
    }

    /// The error texts of the separate calls and of the combined one, for `bytes`.
    func errors(_ bytes: [UInt8]?, as format: ImageFormat, specs sides: [Int] = [256, 16], kinds: FingerprintKinds = .all,
                maxPixels: Int = defaultMaxPixels) throws -> (alone: [String], shared: [String]) {
        let scratch = try Scratch()
        let path = try bytes.map { try scratch.write($0) } ?? scratch.url.appendingPathComponent("missing").path
        let specs = try sides.map { try ThumbnailSpec(size: $0, format: .png) }
        func text<T>(_ result: Result<T, ImgrepoError>) -> String {
            switch result {
            case .success: "success"
            case .failure(let error): "\(error)"
            }
        }
        let alone = specs.map { text(GDThumbnailer().renderResult(path: path, subject: "fixture", format: format, orientation: 1,
                                                                 spec: $0, maxPixels: maxPixels)) }
            + [text(SeparateThumbnailAndFingerprintRendering(thumbnailer: GDThumbnailer(), fingerprinter: GDFingerprinter())
                .thumbnailsAndFingerprints(path: path, subject: "fixture", format: format, orientation: 1, specs: [],
                                           kinds: kinds, maxPixels: maxPixels).fingerprints)]
        let combined = GDThumbnailAndFingerprintRenderer().thumbnailsAndFingerprints(
            path: path, subject: "fixture", format: format, orientation: 1, specs: specs, kinds: kinds, maxPixels: maxPixels)
        return (alone, combined.thumbnails.map(text) + [text(combined.fingerprints)])
    }

    @Test("damaged files fail every output with the error the separate calls give",
          arguments: [FingerprintKinds.perceptualHash, .pixelHash, .all])
    func damaged(_ kinds: FingerprintKinds) throws {
        for (bytes, format) in [(Fixtures.truncatedJPEG(), ImageFormat.jpeg), (Fixtures.truncatedJPEG(width: 1200, height: 900), .jpeg),
                                (Fixtures.truncatedPNG(), .png), (Fixtures.garbageWithPNGSignature(), .png),
                                (Array(Fixtures.alphaWebP().prefix(40)), .webp),
                                (Array(Fixtures.quadrantPicture("tiff").prefix(300)), .tiff),
                                ([0xFF, 0xD8, 0xFF, 0xDB] + Fixtures.garbageWithPNGSignature(count: 2048).dropFirst(8), .jpeg)] {
            let (alone, shared) = try errors(bytes, as: format, kinds: kinds)
            #expect(shared == alone, "\(format)")
            #expect(shared.allSatisfy { $0.hasPrefix("cannot decode") || $0.contains("decoder") }, "\(shared)")
        }
    }

    @Test("bombs, the pixel limit, empty and missing files: the same errors")
    func refused() throws {
        let bomb = try errors(Fixtures.pngHeaderBomb(), as: .png)
        #expect(bomb.shared == bomb.alone)
        #expect(bomb.shared.allSatisfy { $0.contains("65535×65535 is 4295 megapixels") })
        for format in [ImageFormat.jpeg, .png] {
            let bytes = format == .jpeg ? Fixtures.jpeg(width: 64, height: 48) : Fixtures.png(width: 64, height: 48)
            let limited = try errors(bytes, as: format, maxPixels: 1000)
            #expect(limited.shared == limited.alone)
            #expect(limited.shared.allSatisfy { $0.contains("64×48 is 3072 pixels, over the 1000-pixel limit") })
        }
        let empty = try errors([], as: .jpeg)
        #expect(empty.shared == empty.alone)
        let missing = try errors(nil, as: .jpeg)
        #expect(missing.shared == missing.alone)
        #expect(missing.shared.count == 3)
    }

    @Test("no fingerprint kinds: the thumbnails, and empty fingerprints without reading the file")
    func noKinds() throws {
        let scratch = try Scratch()
        let path = try scratch.write(Fixtures.png(width: 100, height: 80))
        let made = GDThumbnailAndFingerprintRenderer().thumbnailsAndFingerprints(
            path: path, subject: "fixture", format: .png, orientation: 1, specs: [try ThumbnailSpec(size: 32)], kinds: [],
            maxPixels: defaultMaxPixels)
        #expect(try made.fingerprints.get() == ImageFingerprints())
        #expect(try made.thumbnails[0].get().width == 32)
    }

    @Test("on several threads at once, each call gives what it gives alone, errors included")
    func concurrent() throws {
        let scratch = try Scratch()
        let inputs: [(String, ImageFormat)] = [
            (try scratch.write(Fixtures.jpeg(width: 1200, height: 900), named: "a.jpg"), .jpeg),
            (try scratch.write(Fixtures.alphaPNG(width: 300, height: 200), named: "b.png"), .png),
            (try scratch.write(Fixtures.truncatedPNG(), named: "c.png"), .png),
            (try scratch.write(Fixtures.truncatedJPEG(), named: "d.jpg"), .jpeg),
            (try scratch.write(Fixtures.webp(width: 200, height: 100), named: "e.webp"), .webp),
        ]
        let specs = try [ThumbnailSpec(size: 128, format: .jpeg), ThumbnailSpec(size: 256, format: .png)]
        @Sendable func once(_ i: Int) -> String {
            let (path, format) = inputs[i % inputs.count]
            let made = GDThumbnailAndFingerprintRenderer().thumbnailsAndFingerprints(
                path: path, subject: "x", format: format, orientation: 1 + i % 8, specs: specs, kinds: .all,
                maxPixels: defaultMaxPixels)
            let thumbnails = made.thumbnails.map { result in
                switch result {
                case .success(let t): "\(t.width)x\(t.height) \(t.bytes.count) \(t.bytes.reduce(0) { $0 &* 31 &+ Int($1) })"
                case .failure(let error): "\(error)"
                }
            }
            let fingerprints = switch made.fingerprints {
            case .success(let f): "\(f.pixelSHA512 ?? "-") \(f.perceptualHash.map { String($0, radix: 16) } ?? "-")"
            case .failure(let error): "\(error)"
            }
            return (thumbnails + [fingerprints]).joined(separator: "\n")
        }
        let serial = (0..<40).map(once)
        let parallel = Mutex([String?](repeating: nil, count: 40))
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            let result = once(i)
            parallel.withLock { $0[i] = result }
        }
        #expect(parallel.withLock { $0 } == serial)
        #expect(serial[2].contains("png decoder: gd-png: fatal libpng error"))
        #expect(serial[3].contains("jpeg decoder: "))
    }
}
