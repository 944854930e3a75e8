import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// Damaged files, lying headers and missing files fail with messages that name the decoder and
/// the library's reason, and nothing is printed.
@Suite("failures")
struct FailureTests {
    /// The reason of an `undecodable` error about "fixture", or nil after recording an issue.
    private func reason(_ body: () throws -> RenderedThumbnail, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let error = renderError(body, sourceLocation: sourceLocation)
        guard case .undecodable(let subject, let reason)? = error else {
            Issue.record("expected undecodable, got \(String(describing: error))", sourceLocation: sourceLocation)
            return nil
        }
        #expect(subject == "fixture", sourceLocation: sourceLocation)
        #expect(!reason.contains("\n"), "one line: \(reason)", sourceLocation: sourceLocation)
        return reason
    }

    @Test("a truncated PNG names the png decoder and libpng's reason")
    func truncatedPNG() {
        let text = reason { try render(Fixtures.truncatedPNG(), as: .png) }
        #expect(text == "png decoder: gd-png: fatal libpng error: Read Error: truncated data")
    }

    @Test("random bytes behind a PNG signature name the png decoder")
    func garbagePNG() throws {
        let text = try #require(reason { try render(Fixtures.garbageWithPNGSignature(), as: .png) })
        #expect(text.hasPrefix("png decoder: gd-png: fatal libpng error: "), "\(text)")
    }

    @Test("a truncated TIFF names the tiff decoder and libtiff's own reason")
    func truncatedTIFF() throws {
        let whole = Fixtures.tiff(width: 64, height: 48)
        let text = try #require(reason { try render(Array(whole.prefix(whole.count / 2)), as: .tiff) })
        #expect(text.hasPrefix("tiff decoder: "), "\(text)")
    }

    @Test("libgd loaders that fail silently still give a reason")
    func silentLoader() throws {
        // libgd's GIF reader returns nothing, and says nothing, for bytes it cannot read.
        let garbage = Array("GIF89a".utf8) + [16, 0, 16, 0] + [UInt8](repeating: 0xAB, count: 64)
        let text = try #require(reason { try render(garbage, as: .gif) })
        #expect(text == "gif decoder: libgd could not read the image and gave no reason")
    }

    @Test("a PNG header claiming 65535×65535 fails on the pixel limit before any decoding")
    func headerBomb() {
        let text = reason { try render(Fixtures.pngHeaderBomb(width: 65_535, height: 65_535), as: .png) }
        #expect(text == "65535×65535 is 4295 megapixels, over the 24-megapixel limit for png, which is decoded whole (--max-pixels cannot raise it)")
    }

    @Test("the pixel limit applies to ordinary images too, with the limit in the message")
    func smallLimit() {
        let png = reason { try render(Fixtures.solidPNG(width: 64, height: 48), as: .png, maxPixels: 1000) }
        #expect(png == "64×48 is 3072 pixels, over the 1000-pixel limit (--max-pixels)")
        let jpeg = reason { try render(Fixtures.jpeg(width: 4000, height: 3000), as: .jpeg, maxPixels: 2_000_000) }
        #expect(jpeg == "4000×3000 is 12 megapixels, over the 2-megapixel limit (--max-pixels)")
        // At the limit exactly is allowed.
        #expect(throws: Never.self) { try render(Fixtures.solidPNG(width: 40, height: 25), as: .png, maxPixels: 1000) }
    }

    @Test("an empty file is undecodable")
    func empty() {
        #expect(reason { try render([], as: .png) } == "png decoder: empty file")
    }

    @Test("a file of another format than stated is undecodable by the stated decoder")
    func wrongFormat() {
        let text = reason { try render(Fixtures.jpeg(width: 32, height: 32), as: .png) }
        #expect(text?.hasPrefix("png decoder: ") == true, "\(String(describing: text))")
    }

    @Test("a missing file is fileNotFound, not undecodable")
    func missing() throws {
        let spec = try ThumbnailSpec()
        let path = "/nonexistent/imgrepo-thumbnail-test"
        #expect(throws: ImgrepoError.fileNotFound(path: path)) {
            try GDThumbnailer().render(path: path, subject: "x", format: .png, orientation: 1, spec: spec, maxPixels: defaultMaxPixels)
        }
    }
}

/// libgd and libtiff print to stderr unless told otherwise; the renderer captures them. This
/// suite swaps file descriptor 2 for a file while it renders broken images, so it runs alone.
@Suite("stderr", .serialized)
struct StderrTests {
    @Test("decoder messages are captured, never printed")
    func nothingPrinted() throws {
        let tiff = Fixtures.tiff(width: 64, height: 48)
        let broken: [([UInt8], ImageFormat)] = [
            (Fixtures.truncatedPNG(), .png), (Fixtures.garbageWithPNGSignature(), .png),
            (Array(tiff.prefix(tiff.count / 2)), .tiff), (Array(Fixtures.webp(width: 64, height: 48).prefix(40)), .webp),
            (Fixtures.truncatedJPEG(), .jpeg), (Array(Fixtures.heif().prefix(300)), .heif),
        ]
        let scratch = try Scratch()
        let paths = try broken.enumerated().map { try scratch.write($0.element.0, named: "broken-\($0.offset)") }
        let log = scratch.url.appendingPathComponent("stderr").path
        let saved = dup(2)
        let sink = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(saved >= 0 && sink >= 0)
        dup2(sink, 2)
        var failures = 0
        for (path, (_, format)) in zip(paths, broken) {
            let spec = try ThumbnailSpec(format: .png)
            if (try? GDThumbnailer().render(path: path, subject: "x", format: format, orientation: 1, spec: spec,
                                            maxPixels: defaultMaxPixels)) == nil { failures += 1 }
        }
        dup2(saved, 2)
        close(saved)
        close(sink)
        #expect(failures == broken.count)
        let printed = try String(contentsOfFile: log, encoding: .utf8)
        // Swift Testing may write its own progress here meanwhile: look only for library words.
        for marker in ["GD Warning", "gd-png", "libpng", "TIFFFetchDirectory", "TIFFReadDirectory", "gd-webp", "gd-heif", "Premature end"] {
            #expect(!printed.contains(marker), "printed: \(printed)")
        }
    }
}
