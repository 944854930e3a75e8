import Dispatch
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// Damaged files, bombs and missing files fail with `undecodable` (or `fileNotFound`) naming the
/// decoder and the library's reason; nothing crashes.
@Suite("fingerprint failures")
struct FingerprintFailureTests {
    @Test("a PNG header claiming 65535×65535 fails on the pixel limit, before any decoding, in well under a second")
    func headerBomb() {
        let start = DispatchTime.now().uptimeNanoseconds
        let text = undecodableReason { try fingerprints(Fixtures.pngHeaderBomb(), as: .png) }
        #expect(text == "65535×65535 is 4295 megapixels, over the 24-megapixel limit for png, which is decoded whole (--max-pixels cannot raise it)")
        #expect(DispatchTime.now().uptimeNanoseconds - start < 500_000_000)
    }

    @Test("the pixel limit applies to each kind alone, with the limit in the message",
          arguments: [FingerprintKinds.pixelHash, .perceptualHash, .all])
    func smallLimit(_ kinds: FingerprintKinds) {
        let jpeg = undecodableReason { try fingerprints(Fixtures.jpeg(width: 64, height: 48), as: .jpeg, kinds: kinds, maxPixels: 1000) }
        #expect(jpeg == "64×48 is 3072 pixels, over the 1000-pixel limit (--max-pixels)")
        let png = undecodableReason { try fingerprints(Fixtures.png(width: 64, height: 48), as: .png, kinds: kinds, maxPixels: 1000) }
        #expect(png == "64×48 is 3072 pixels, over the 1000-pixel limit (--max-pixels)")
    }

    @Test("a truncated JPEG names the jpeg decoder, for either kind", arguments: [FingerprintKinds.pixelHash, .perceptualHash, .all])
    func truncatedJPEG(_ kinds: FingerprintKinds) throws {
        let text = try #require(undecodableReason { try fingerprints(Fixtures.truncatedJPEG(), as: .jpeg, kinds: kinds) })
        #expect(text.hasPrefix("jpeg decoder: "), "\(text)")
    }

    @Test("a truncated PNG names the png decoder and libpng's reason")
    func truncatedPNG() {
        let text = undecodableReason { try fingerprints(Fixtures.truncatedPNG(), as: .png) }
        #expect(text == "png decoder: gd-png: fatal libpng error: Read Error: truncated data")
    }

    @Test("garbage behind a format's signature fails without crashing",
          arguments: [ImageFormat.jpeg, .png, .gif, .webp, .tiff, .bmp, .heic, .avif])
    func garbage(_ format: ImageFormat) throws {
        let signatures: [ImageFormat: [UInt8]] = [
            .jpeg: [0xFF, 0xD8, 0xFF, 0xDB], .png: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            .gif: Array("GIF89a".utf8), .webp: Array("RIFF\u{0}\u{1}\u{0}\u{0}WEBPVP8 ".utf8), .tiff: [0x49, 0x49, 0x2A, 0],
            .bmp: Array("BM".utf8), .heic: [0, 0, 0, 24] + Array("ftypheic".utf8), .avif: [0, 0, 0, 24] + Array("ftypavif".utf8),
        ]
        let bytes = signatures[format]! + Fixtures.garbageWithPNGSignature(count: 2048).dropFirst(8)
        let text = try #require(undecodableReason { try fingerprints(bytes, as: format) })
        #expect(!text.isEmpty)
    }

    @Test("an empty file names the decoder")
    func emptyFile() {
        #expect(undecodableReason { try fingerprints([], as: .png) } == "png decoder: empty file")
    }

    @Test("a missing file is fileNotFound")
    func missingFile() {
        let error = fingerprintError {
            try GDFingerprinter().fingerprints(path: "/nonexistent/imgrepo/a.jpg", subject: "fixture", format: .jpeg,
                                               orientation: 1, kinds: .all, maxPixels: defaultMaxPixels)
        }
        guard case .fileNotFound(let path)? = error else {
            Issue.record("expected fileNotFound, got \(String(describing: error))")
            return
        }
        #expect(path == "/nonexistent/imgrepo/a.jpg")
    }
}
