import ImageProbe
import Testing

@Suite("ImageFormat.sniff")
struct SniffTests {
    @Test("each format's signature is recognised")
    func signatures() {
        #expect(sniff(Fixture.jpeg()) == .jpeg)
        #expect(sniff(Fixture.png()) == .png)
        #expect(sniff(Fixture.gif(width: 1, height: 1)) == .gif)
        #expect(sniff(Fixture.ascii("GIF87a") + [1, 0, 1, 0, 0, 0, 0]) == .gif)
        #expect(sniff(Fixture.webp([Fixture.vp8l(width: 2, height: 2)])) == .webp)
        #expect(sniff(Fixture.tiff(littleEndian: true, width: 1, height: 1)) == .tiff)
        #expect(sniff(Fixture.tiff(littleEndian: false, width: 1, height: 1)) == .tiff)
        #expect(sniff(Fixture.ascii("II") + [0x2B, 0, 8, 0, 0, 0]) == .tiff)  // BigTIFF
        #expect(sniff(Fixture.ascii("MM") + [0, 0x2B, 0, 8, 0, 0]) == .tiff)
        #expect(sniff(Fixture.bmp(width: 2, height: 2)) == .bmp)
        #expect(sniff(Fixture.bmpCore(width: 2, height: 2)) == .bmp)
        #expect(sniff(Fixture.heif(brand: "heic")) == .heic)
        #expect(sniff(Fixture.heif(brand: "avif")) == .avif)
    }

    @Test("ftyp brands: avif and heic win over mif1, in the major or a compatible brand", arguments: [
        ("heic", ["mif1", "heic"], ImageFormat.heic),
        ("heix", [], .heic),
        ("hevc", ["msf1"], .heic),
        ("mif1", ["mif1", "heic"], .heic),
        ("mif1", ["miaf", "avif"], .avif),
        ("avis", ["msf1"], .avif),
        ("mif1", ["miaf"], .heif),
        ("msf1", ["iso8"], .heif),
        ("isom", ["mif1"], .heif),
    ])
    func brands(major: String, compatible: [String], expected: ImageFormat) {
        #expect(sniff(Fixture.ftyp(major: major, compatible: compatible) + Fixture.box("meta", [])) == expected)
    }

    @Test("ftyp of a video or an unknown brand is not an image")
    func videoBrands() {
        #expect(sniff(Fixture.ftyp(major: "isom", compatible: ["iso2", "mp41"])) == nil)
        #expect(sniff(Fixture.ftyp(major: "qt  ", compatible: [])) == nil)
    }

    @Test("only the brands inside the ftyp box count, not the bytes after it")
    func brandsBeyondBox() {
        // An ftyp box holding only the major brand, followed by bytes that spell "heic".
        let bytes = Fixture.ftyp(major: "isom", compatible: []) + Fixture.ascii("heicheic")
        #expect(sniff(bytes) == nil)
    }

    @Test("text, empty input, short prefixes and random bytes are not images")
    func nonImages() {
        #expect(sniff([]) == nil)
        #expect(sniff(Fixture.ascii("Hello, world! This is a plain text file.")) == nil)
        #expect(sniff(Fixture.ascii("BMW 320d, 2014, 180000 km, one owner, full service history")) == nil)
        #expect(sniff(Fixture.ascii("BM")) == nil)
        #expect(sniff([0xFF, 0xD8]) == nil)
        #expect(sniff(Fixture.ascii("GIF8")) == nil)
        #expect(sniff(Fixture.ascii("RIFF") + [0, 0, 0, 0] + Fixture.ascii("WAVEfmt ")) == nil)
        #expect(sniff(Fixture.ascii("%PDF-1.7\n%")) == nil)
        var generator = SplitMix64(seed: 42)
        for _ in 0 ..< 1000 {
            let bytes = (0 ..< 32).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(sniff(bytes) == nil)
        }
    }

    @Test("each format has its media type")
    func mimeTypes() {
        #expect(ImageFormat.jpeg.mimeType == "image/jpeg")
        #expect(ImageFormat.heic.mimeType == "image/heic")
        #expect(Set(ImageFormat.allCases.map(\.mimeType)).count == ImageFormat.allCases.count)
    }
}

/// A small deterministic generator, so that "random" inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
