import ImgrepoCore
import ImgrepoFixtures
import Testing

/// The libjpeg-turbo path: colour spaces, progressive files, damage.
@Suite("JPEG decoding")
struct JPEGDecodingTests {
    @Test("a grayscale JPEG becomes grey RGB of the same levels")
    func grayscale() throws {
        let thumbnail = try render(Fixtures.grayscaleJPEG(width: 64, height: 32, left: 64, right: 192), as: .jpeg, box: (32, 32))
        #expect((thumbnail.width, thumbnail.height) == (32, 16))
        let image = try decode(thumbnail)
        #expect(near(image.pixel(6, 8), Fixtures.RGBA(64, 64, 64), tolerance: 4))
        #expect(near(image.pixel(25, 8), Fixtures.RGBA(192, 192, 192), tolerance: 4))
    }

    @Test("CMYK and YCCK JPEGs with an Adobe marker keep their colours, not inverted", arguments: [false, true])
    func cmyk(ycck: Bool) throws {
        let stripes = Fixtures.cmykStripes
        let bytes = Fixtures.cmykJPEG(width: 64, height: 16, inks: stripes, ycck: ycck)
        // The Adobe APP14 marker libjpeg writes for four-component files.
        #expect(bytes.indices.dropLast().contains { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xEE })
        let image = try decode(try render(bytes, as: .jpeg, box: (64, 64)))
        #expect((image.width, image.height) == (64, 16))
        for (i, ink) in stripes.enumerated() {
            let x = i * 16 + 8
            #expect(near(image.pixel(x, 8), ink.rgb, tolerance: 10), "stripe \(i): \(image.pixel(x, 8)), expected \(ink.rgb)")
        }
    }

    @Test("a progressive JPEG is decoded, at reduced scale too", arguments: [(64, 48), (32, 24)])
    func progressive(width: Int, height: Int) throws {
        let bytes = Fixtures.progressiveJPEG(width: 64, height: 48)
        #expect(bytes.indices.dropLast().contains { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC2 }, "no SOF2 marker")
        let image = try decode(try render(bytes, as: .jpeg, box: (width, height)))
        #expect((image.width, image.height) == (width, height))
        expectQuadrants(image)
    }

    @Test("a photo-like JPEG shrinks through scaled decoding to the exact box fit")
    func photo() throws {
        let thumbnail = try render(Fixtures.jpeg(width: 1600, height: 1200), as: .jpeg, box: (256, 256), output: .jpeg)
        #expect((thumbnail.width, thumbnail.height) == (256, 192))
        _ = try decode(thumbnail)
    }

    @Test("a truncated JPEG is undecodable and the message names the jpeg decoder")
    func truncated() {
        let error = renderError { try render(Fixtures.truncatedJPEG(width: 320, height: 240), as: .jpeg) }
        guard case .undecodable(let subject, let reason)? = error else {
            Issue.record("expected undecodable, got \(String(describing: error))")
            return
        }
        #expect(subject == "fixture")
        #expect(reason == "jpeg decoder: Premature end of JPEG file")
    }

    @Test("bytes that are not a JPEG at all are undecodable with libjpeg's reason")
    func notJPEG() {
        let error = renderError { try render(Fixtures.solidPNG(width: 8, height: 8), as: .jpeg) }
        guard case .undecodable(_, let reason)? = error else {
            Issue.record("expected undecodable, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("jpeg decoder: Not a JPEG file"))
    }
}

/// Checks that `image` shows `Fixtures.quadrantColors` right side up: at the centre of each
/// quadrant tightly, at the very corners loosely (JPEG rings at the edges).
func expectQuadrants(_ image: Decoded, sourceLocation: SourceLocation = #_sourceLocation) {
    let c = Fixtures.quadrantColors
    let (w, h) = (image.width, image.height)
    let expected: [(String, Int, Int, Int, Int, Fixtures.RGBA)] = [
        ("top left", w / 4, h / 4, 0, 0, c.topLeft),
        ("top right", 3 * w / 4, h / 4, w - 1, 0, c.topRight),
        ("bottom left", w / 4, 3 * h / 4, 0, h - 1, c.bottomLeft),
        ("bottom right", 3 * w / 4, 3 * h / 4, w - 1, h - 1, c.bottomRight),
    ]
    for (name, cx, cy, x, y, color) in expected {
        #expect(near(image.pixel(cx, cy), color, tolerance: 16),
                "\(name) centre is \(image.pixel(cx, cy)), expected \(color)", sourceLocation: sourceLocation)
        #expect(near(image.pixel(x, y), color, tolerance: 60),
                "\(name) corner is \(image.pixel(x, y)), expected \(color)", sourceLocation: sourceLocation)
    }
}
