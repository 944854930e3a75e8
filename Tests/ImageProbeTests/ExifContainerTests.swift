import ImageProbe
import Testing

/// Where each container keeps its EXIF, and what a broken container yields instead.
@Suite("EXIF from TIFF, PNG text chunks and HEIF items")
struct ExifContainerTests {
    // MARK: TIFF

    /// A big-endian TIFF: pixels first, then IFD0 (size, strips, Make, Orientation, a pointer
    /// to an Exif IFD holding DateTimeOriginal), as writers that append directories do.
    static func tiffWithMetadata(makeOffset: Int? = nil) -> (file: [UInt8], pixels: Int) {
        typealias F = Fixture
        let pixels = [UInt8](repeating: 0x55, count: 64)
        let ifd0 = 8 + pixels.count
        let ifd0Size = 2 + 7 * 12 + 4
        let exifIFD = ifd0 + ifd0Size
        let exifSize = 2 + 12 + 4
        let make = exifIFD + exifSize
        let makeText = F.ascii("Canon EOS") + [0]  // 10 bytes, too long for the entry
        let date = make + makeText.count
        let dateText = F.ascii("2023:06:01 12:34:56") + [0]
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] {
            F.be16(tag) + F.be16(type) + F.be32(count) + value + [UInt8](repeating: 0, count: 4 - value.count)
        }
        var file = F.ascii("MM") + [0, 0x2A] + F.be32(ifd0) + pixels
        file += F.be16(7)
        file += entry(256, 3, 1, F.be16(8)) + entry(257, 3, 1, F.be16(8)) + entry(271, 2, makeText.count, F.be32(makeOffset ?? make))
        file += entry(273, 4, 1, F.be32(8)) + entry(274, 3, 1, F.be16(6)) + entry(279, 4, 1, F.be32(64))
        file += entry(0x8769, 4, 1, F.be32(exifIFD)) + F.be32(0)
        file += F.be16(1) + entry(0x9003, 2, dateText.count, F.be32(date)) + F.be32(0)
        file += makeText + dateText
        return (file, pixels.count)
    }

    @Test("a TIFF's own directories become a compact payload without the strips")
    func tiffPayload() throws {
        let (file, _) = Self.tiffWithMetadata()
        let info = try #require(try inspect(file))
        #expect(info.width == 8 && info.height == 8 && info.damage == nil && info.warnings.isEmpty)
        let exif = try #require(info.exif)
        #expect(exif.starts(with: Fixture.ascii("MM") + [0, 0x2A, 0, 0, 0, 8]))
        #expect(exif.count < file.count - 64 + 8, "the pixel bytes are not copied")
        #expect(exif.firstRange(of: Fixture.ascii("Canon EOS")) != nil)
        #expect(exif.firstRange(of: Fixture.ascii("2023:06:01 12:34:56")) != nil)
        // The payload is itself a TIFF whose rebuilt payload is the same bytes: every offset
        // in it points where the copy put the value.
        let again = try #require(try inspect(exif))
        #expect(again.exif == exif)
    }

    /// Found by `make fuzz`: a GPS IFD holding tag 0x8769 (the Exif IFD pointer) as a plain
    /// value made the rebuild look for an Exif block that did not exist, and trap.
    @Test("a pointer tag inside the wrong directory is left out, not followed")
    func tiffPointerTagInTheWrongDirectory() throws {
        typealias F = Fixture
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] {
            F.be16(tag) + F.be16(type) + F.be32(count) + value + [UInt8](repeating: 0, count: 4 - value.count)
        }
        let ifd0 = 8, ifd0Size = 2 + 4 * 12 + 4, gps = ifd0 + ifd0Size
        var file = F.ascii("MM") + [0, 0x2A] + F.be32(ifd0)
        file += F.be16(4) + entry(256, 3, 1, F.be16(8)) + entry(257, 3, 1, F.be16(8)) + entry(274, 3, 1, F.be16(3))
        file += entry(0x8825, 4, 1, F.be32(gps)) + F.be32(0)
        file += F.be16(3) + entry(0, 1, 4, [2, 3, 0, 0]) + entry(0x8769, 4, 1, F.be32(8)) + entry(0xA005, 4, 1, F.be32(8)) + F.be32(0)
        let info = try #require(try inspect(file))
        let exif = try #require(info.exif)
        #expect(exif.firstRange(of: F.be16(0x8769)) == nil, "the stray pointer is not copied")
        #expect(exif.firstRange(of: F.be16(0xA005)) == nil)
        #expect(try inspect(exif)?.exif == exif, "the payload is a consistent TIFF")
    }

    @Test("a HEIF mime item of type application/rdf+xml is the XMP packet; other mime items are not")
    func heifXMP() throws {
        let packet = Fixture.ascii("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>")
        let xmpType = Fixture.ascii("mime") + [0] + Fixture.ascii("application/rdf+xml") + [0]
        for inIdat in [false, true] {
            let info = try #require(try inspect(Self.heifWithExif(packet, inIdat: inIdat, itemType: xmpType)))
            #expect(info.xmp == packet && info.exif == nil && info.warnings.isEmpty, "\(info)")
        }
        let other = Fixture.ascii("mime") + [0] + Fixture.ascii("text/plain") + [0]
        #expect(try inspect(Self.heifWithExif(packet, itemType: other))?.xmp == nil)
    }

    @Test("a TIFF value outside the file is left out with a warning, the rest kept")
    func tiffValueOutside() throws {
        let (file, _) = Self.tiffWithMetadata(makeOffset: 1 << 30)
        let info = try #require(try inspect(file))
        let exif = try #require(info.exif)
        #expect(exif.firstRange(of: Fixture.ascii("Canon EOS")) == nil)
        #expect(exif.firstRange(of: Fixture.ascii("2023:06:01 12:34:56")) != nil)
        #expect(info.warnings.contains { $0.contains("outside the file") })
    }

    @Test("a TIFF with only image-structure tags has no EXIF")
    func tiffWithoutMetadata() throws {
        let info = try #require(try inspect(Fixture.tiff(littleEndian: true, width: 5, height: 4)))
        #expect(info.exif == nil)
    }

    // MARK: PNG raw profile

    static func rawProfile(_ payload: [UInt8], count: Int? = nil) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        var text = Fixture.ascii("\nexif\n      \(count ?? payload.count)\n")
        for (i, b) in payload.enumerated() {
            text += [digits[Int(b >> 4)], digits[Int(b & 0xF)]]
            if i % 36 == 35 { text.append(0x0A) }
        }
        return text + [0x0A]
    }

    static let keyword = Fixture.ascii("Raw profile type exif") + [0]

    @Test("PNG tEXt 'Raw profile type exif', in any chunking")
    func pngText() throws {
        let exifPrefixed = Fixture.ascii("Exif") + [0, 0] + Fixture.exifBlock
        let bytes = Fixture.png(extra: [Fixture.chunk("tEXt", Fixture.ascii("Comment") + [0] + Fixture.ascii("hello")),
                                        Fixture.chunk("tEXt", Self.keyword + Self.rawProfile(exifPrefixed))])
        let expected = ImageInfo(format: .png, width: 16, height: 9, exif: Fixture.exifBlock)
        #expect(try inspect(bytes) == expected)
        #expect(try inspect(bytes, chunkSize: 1) == expected)
        #expect(try inspect(bytes, chunkSize: 7) == expected)
    }

    @Test("PNG uncompressed iTXt raw profile is read (compressed text: CompressedTextTests)")
    func pngInternational() throws {
        let itxt = Fixture.png(extra: [Fixture.chunk("iTXt", Self.keyword + [0, 0] + Fixture.ascii("en") + [0, 0]
                                                        + Self.rawProfile(Fixture.exifBlock))])
        #expect(try inspect(itxt)?.exif == Fixture.exifBlock)
    }

    @Test("PNG eXIf wins over a raw profile; a short or malformed profile is a warning")
    func pngPrecedenceAndDamage() throws {
        let other: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 0, 0]
        let both = Fixture.png(extra: [Fixture.chunk("tEXt", Self.keyword + Self.rawProfile(other)),
                                       Fixture.chunk("eXIf", Fixture.exifBlock)])
        #expect(try inspect(both)?.exif == Fixture.exifBlock)
        for text in [Self.rawProfile(Fixture.exifBlock, count: 999),          // fewer digits than counted
                     Fixture.ascii("\nexif\n      14\n4D4D002Azz"),             // not hex
                     Fixture.ascii("\nexif\n  99999999999999999999\n00")] {    // over the limit
            let info = try #require(try inspect(Fixture.png(extra: [Fixture.chunk("tEXt", Self.keyword + text)])))
            #expect(info.exif == nil)
            #expect(info.warnings.contains { $0.contains("not a valid raw profile") })
        }
    }

    // MARK: HEIF

    /// `Fixture.heif()` plus an Exif item (id 3): in mdat at the end of the file (iloc version 0)
    /// or in meta's idat (iloc version 1, construction method 1).
    /// `itemType`: the infe entry's type and what follows it (name, and a content type for `mime`).
    static func heifWithExif(_ item: [UInt8], inIdat: Bool = false, extentLength: Int? = nil, extentOffset: Int? = nil,
                             itemType: [UInt8] = Fixture.ascii("Exif") + [0]) -> [UInt8] {
        typealias F = Fixture
        let infe = F.fullBox("infe", version: 2, F.be16(1) + F.be16(0) + F.ascii("hvc1") + [0])
            + F.fullBox("infe", version: 2, F.be16(3) + F.be16(0) + itemType)
        let iinf = F.fullBox("iinf", F.be16(2) + infe)
        let ipco = F.box("ipco", F.ispe(width: 640, height: 480))
        let ipma = F.fullBox("ipma", F.be32(1) + F.be16(1) + [1, 0x81])
        let head = F.ftyp(major: "heic", compatible: ["mif1", "heic"])
        // 4-byte offsets and lengths, no base offset: each entry is id, [method], dataref, count, extent.
        func meta(exifOffset: Int) -> [UInt8] {
            let iloc: [UInt8]
            if inIdat {
                iloc = F.fullBox("iloc", version: 1, [0x44, 0x00] + F.be16(1) + F.be16(3) + F.be16(1) + F.be16(0) + F.be16(1)
                                 + F.be32(extentOffset ?? 0) + F.be32(extentLength ?? item.count))
            } else {
                iloc = F.fullBox("iloc", [0x44, 0x00] + F.be16(1) + F.be16(3) + F.be16(0) + F.be16(1)
                                 + F.be32(extentOffset ?? exifOffset) + F.be32(extentLength ?? item.count))
            }
            var children = F.fullBox("hdlr", F.be32(0) + F.ascii("pict") + [UInt8](repeating: 0, count: 13))
            children += F.fullBox("pitm", F.be16(1)) + iinf + iloc + F.box("iprp", ipco + ipma)
            if inIdat { children += F.box("idat", item) }
            return F.fullBox("meta", children)
        }
        let metaSize = meta(exifOffset: 0).count
        let mdat = F.box("mdat", inIdat ? [1, 2, 3, 4] : item)
        return head + meta(exifOffset: head.count + metaSize + 8) + mdat
    }

    @Test("HEIF Exif item, in mdat or idat, after its 4-byte offset header", arguments: [false, true])
    func heifExif(inIdat: Bool) throws {
        // The header says how many bytes precede the TIFF header: 6 for "Exif\0\0", 0 for none.
        for item in [Fixture.be32(6) + Fixture.ascii("Exif") + [0, 0] + Fixture.exifBlock,
                     Fixture.be32(0) + Fixture.exifBlock] {
            let info = try #require(try inspect(Self.heifWithExif(item, inIdat: inIdat)))
            #expect(info == ImageInfo(format: .heic, width: 640, height: 480, exif: Fixture.exifBlock))
        }
    }

    @Test("broken HEIF Exif items are warnings: extent past the end, bad header offset, no TIFF header")
    func heifBrokenExif() throws {
        let good = Fixture.be32(0) + Fixture.exifBlock
        let cases: [[UInt8]] = [
            Self.heifWithExif(good, extentLength: 1 << 30),
            Self.heifWithExif(good, extentOffset: Int(UInt32.max) - 2),
            Self.heifWithExif(good, inIdat: true, extentLength: 1000),
            Self.heifWithExif(Fixture.be32(1 << 20) + Fixture.exifBlock),
            Self.heifWithExif(Fixture.be32(0) + [1, 2, 3, 4, 5, 6, 7, 8]),
            Self.heifWithExif([0, 0]),
        ]
        for bytes in cases {
            let info = try #require(try inspect(bytes))
            #expect(info.exif == nil)
            #expect(info.width == 640 && info.damage == nil)
            #expect(info.warnings.count == 1, "\(info.warnings)")
        }
    }
}
