import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// The libgd path: bit depths, palettes, alpha, animation, every source and output format.
@Suite("formats")
struct FormatTests {
    @Test("a 16-bit PNG is reduced to 8 bits with its colours")
    func sixteenBit() throws {
        let image = try decode(try render(Fixtures.png16(width: 32, height: 16), as: .png, box: (32, 32)))
        #expect((image.width, image.height) == (32, 16))
        #expect(near(image.pixel(4, 8), Fixtures.RGBA(255, 128, 0), tolerance: 1))
        #expect(near(image.pixel(28, 8), Fixtures.RGBA(16, 32, 192), tolerance: 1))
    }

    @Test("a palette PNG's tRNS transparency is kept in PNG output")
    func paletteTransparencyInPNG() throws {
        let bytes = Fixtures.palettePNGWithTransparency(width: 32, height: 16, color: .blue)
        #expect(bytes.indices.dropLast(3).contains { bytes[$0 ..< $0 + 4].elementsEqual("tRNS".utf8) }, "no tRNS chunk")
        let image = try decode(try render(bytes, as: .png, box: (32, 32), output: .png))
        #expect(image.pixel(4, 8).alpha == 0)
        #expect(near(image.pixel(28, 8), .blue, tolerance: 0))
    }

    @Test("a palette PNG's transparent pixels become white in JPEG output")
    func paletteTransparencyInJPEG() throws {
        let bytes = Fixtures.palettePNGWithTransparency(width: 32, height: 16, color: .blue)
        let image = try decode(try render(bytes, as: .png, box: (32, 32), output: .jpeg))
        #expect(near(image.pixel(4, 8), .white, tolerance: 6), "\(image.pixel(4, 8))")
        #expect(near(image.pixel(28, 8), .blue, tolerance: 16), "\(image.pixel(28, 8))")
    }

    @Test("alpha survives PNG and WebP input and output", arguments: [
        (ImageFormat.png, ThumbnailFormat.png), (.png, .webp), (.webp, .png), (.webp, .webp),
    ])
    func alphaKept(source: ImageFormat, output: ThumbnailFormat) throws {
        let bytes = source == .png ? Fixtures.alphaPNG(width: 32, height: 16) : Fixtures.alphaWebP(width: 32, height: 16)
        let image = try decode(try render(bytes, as: source, box: (32, 32), output: output))
        #expect(image.pixel(4, 8).alpha == 0, "\(image.pixel(4, 8))")
        #expect(near(image.pixel(28, 8), Fixtures.RGBA(0, 128, 0), tolerance: 8), "\(image.pixel(28, 8))")
    }

    @Test("alpha is composited on white for JPEG output", arguments: [ImageFormat.png, .webp])
    func alphaOnWhite(source: ImageFormat) throws {
        let half = Fixtures.RGBA(0, 0, 0, alpha: 128)
        let bytes = source == .png ? Fixtures.alphaPNG(width: 32, height: 16, right: half)
                                   : Fixtures.alphaWebP(width: 32, height: 16, right: half)
        let image = try decode(try render(bytes, as: source, box: (32, 32), output: .jpeg))
        #expect(near(image.pixel(4, 8), .white, tolerance: 6), "\(image.pixel(4, 8))")
        // Half-transparent black over white is mid grey.
        #expect(near(image.pixel(28, 8), Fixtures.RGBA(127, 127, 127), tolerance: 10), "\(image.pixel(28, 8))")
    }

    @Test("an animated GIF gives its first frame")
    func animatedGIF() throws {
        let bytes = Fixtures.animatedGIF(width: 32, height: 16, first: .red, second: .blue)
        #expect(bytes.starts(with: Array("GIF89a".utf8)))
        let image = try decode(try render(bytes, as: .gif, box: (32, 32)))
        #expect(near(image.pixel(16, 8), .red, tolerance: 4), "\(image.pixel(16, 8))")
    }

    @Test("every format libgd reads gives the quadrant picture", arguments: ["jpeg", "png", "gif", "webp", "tiff", "bmp", "heif", "avif"])
    func sourceFormats(name: String) throws {
        let bytes = switch name {
        case "heif": Fixtures.heif()
        case "avif": Fixtures.avif()
        default: Fixtures.quadrantPicture(name)
        }
        let format = try #require(bytes.withUnsafeBytes { ImageFormat.sniff($0) })
        let image = try decode(try render(bytes, as: format, box: (32, 32)))
        #expect((image.width, image.height) == (32, 24))
        expectQuadrants(image)
    }

    @Test("each output format is what it says and decodes", arguments: ThumbnailFormat.allCases)
    func outputFormats(output: ThumbnailFormat) throws {
        let thumbnail = try render(Fixtures.quadrantPicture("png"), as: .png, box: (32, 32), output: output)
        let sniffed = thumbnail.bytes.withUnsafeBytes { ImageFormat.sniff($0) }
        #expect(sniffed?.rawValue == output.rawValue)
        expectQuadrants(try decode(thumbnail))
    }

    @Test("an opaque PNG thumbnail has no alpha channel")
    func opaquePNGIsRGB() throws {
        let thumbnail = try render(Fixtures.quadrantPicture("png"), as: .png, box: (32, 32), output: .png)
        // IHDR colour type (byte 25): 2 is RGB, 6 would be RGBA.
        #expect(thumbnail.bytes[25] == 2)
    }

    @Test("the JPEG quality is passed to the encoder")
    func quality() throws {
        let bytes = Fixtures.jpeg(width: 640, height: 480)
        let low = try render(bytes, as: .jpeg, output: .jpeg, quality: 20)
        let high = try render(bytes, as: .jpeg, output: .jpeg, quality: 95)
        #expect(low.bytes.count < high.bytes.count)
    }
}

/// What the loaded libraries say about themselves.
@Suite("libraries")
struct LibraryTests {
    @Test("libgd reports its version")
    func version() throws {
        let version = try #require(GDThumbnailer.libgdVersion())
        #expect(version.hasPrefix("2."))
    }

    @Test("both libraries load on this machine")
    func loaded() {
        #expect(GDThumbnailer.libraryProblem() == nil)
    }

    @Test("Debian 12's libgd decodes every format imgrepo recognises")
    func decodable() {
        #expect(GDThumbnailer.decodableFormats() == ImageFormat.allCases)
    }

    @Test("the algorithm version is 1")
    func algorithmVersion() {
        #expect(GDThumbnailer().algorithmVersion == 1)
    }
}
