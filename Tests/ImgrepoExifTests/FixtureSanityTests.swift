import ImgrepoExif
import ImgrepoFixtures
import Testing

/// The fixture images are what they claim to be.
@Suite("fixtures")
struct FixtureSanityTests {
    @Test("each format starts with its magic bytes")
    func magic() {
        #expect(Fixtures.jpeg(width: 64, height: 48).starts(with: [0xFF, 0xD8, 0xFF]))
        #expect(Fixtures.png(width: 64, height: 48).starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(Fixtures.gif(width: 64, height: 48).starts(with: Array("GIF8".utf8)))
        let webp = Fixtures.webp(width: 64, height: 48)
        #expect(webp.starts(with: Array("RIFF".utf8)) && webp[8..<12].elementsEqual("WEBP".utf8))
        #expect(Fixtures.bmp(width: 64, height: 48).starts(with: Array("BM".utf8)))
        let tiff = Fixtures.tiff(width: 64, height: 48)
        #expect(tiff.starts(with: [0x49, 0x49, 0x2A, 0x00]) || tiff.starts(with: [0x4D, 0x4D, 0x00, 0x2A]))
    }

    @Test("JPEGs end with EOI and carry the EXIF right after SOI", arguments: [false, true])
    func jpeg(progressive: Bool) throws {
        let bytes = Fixtures.jpeg(width: 120, height: 80, exif: .sample, progressive: progressive)
        #expect(bytes.suffix(2).elementsEqual([0xFF, 0xD9]))
        #expect(bytes[2..<4].elementsEqual([0xFF, 0xE1]))
        #expect(bytes[6..<12].elementsEqual(Array("Exif".utf8) + [0, 0]))
        let payload = try #require(exifPayload(ofJPEG: bytes))
        #expect(payload == Fixtures.exifPayload(.sample))
        // Progressive JPEGs use SOF2, baseline ones SOF0.
        let sof: UInt8 = progressive ? 0xC2 : 0xC0
        #expect(bytes.indices.dropLast().contains { bytes[$0] == 0xFF && bytes[$0 + 1] == sof })
    }

    @Test("the truncated JPEG has a scan but no EOI")
    func truncated() {
        let whole = Fixtures.jpeg(width: 320, height: 240)
        let cut = Fixtures.truncatedJPEG(width: 320, height: 240)
        #expect(cut.starts(with: [0xFF, 0xD8]))
        #expect(cut.count < whole.count)
        #expect(!cut.suffix(2).elementsEqual([0xFF, 0xD9]))
        let sos = cut.indices.dropLast().first { cut[$0] == 0xFF && cut[$0 + 1] == 0xDA }
        #expect(sos != nil)
        if let sos {
            #expect(!cut[sos...].indices.dropLast().contains { cut[$0] == 0xFF && cut[$0 + 1] == 0xD9 })
        }
    }

    @Test("the PNG carries an eXIf chunk after IHDR with a correct CRC")
    func pngExif() throws {
        let png = Fixtures.png(width: 40, height: 30, exif: .sample)
        #expect(png[37..<41].elementsEqual("eXIf".utf8))
        let length = Int(png[33]) << 24 | Int(png[34]) << 16 | Int(png[35]) << 8 | Int(png[36])
        let payload = Array(png[41..<(41 + length)])
        #expect(payload == Fixtures.exifPayload(.sample))
        let stored = png[(41 + length)..<(45 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(stored == crc32(Array("eXIf".utf8) + payload))
        #expect(LibexifDecoder().decode(tiff: payload).summary.make == "Canon")
    }

    @Test("fixtures are deterministic and the seed matters")
    func deterministic() {
        #expect(Fixtures.jpeg(width: 64, height: 48, seed: 7) == Fixtures.jpeg(width: 64, height: 48, seed: 7))
        #expect(Fixtures.jpeg(width: 64, height: 48, seed: 7) != Fixtures.jpeg(width: 64, height: 48, seed: 8))
    }

    /// An independent bitwise CRC-32, to check the fixture library's table-driven one.
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }
}
