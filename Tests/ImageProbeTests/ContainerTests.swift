import ImageProbe
import Testing

@Suite("PNG, GIF, WebP, TIFF, BMP and HEIF structure")
struct ContainerTests {
    // MARK: PNG

    @Test("PNG eXIf, with and without an Exif\\0\\0 prefix, in any chunking", arguments: [false, true])
    func pngExif(prefixed: Bool) throws {
        let data = (prefixed ? Fixture.ascii("Exif") + [0, 0] : []) + Fixture.exifBlock
        let bytes = Fixture.png(extra: [Fixture.chunk("eXIf", data)])
        let expected = ImageInfo(format: .png, width: 16, height: 9, exif: Fixture.exifBlock)
        #expect(try inspect(bytes) == expected)
        #expect(try inspect(bytes, chunkSize: 1) == expected)
        #expect(try inspect(bytes, chunkSize: 13) == expected)
    }

    @Test("PNG without IEND is truncated")
    func pngWithoutIEND() throws {
        let info = try #require(try inspect(Fixture.png(iend: false)))
        #expect(info.damage == "truncated: no IEND chunk")
        #expect(info.width == 16)
    }

    @Test("PNG cut inside a chunk, or with a length past the end of the file")
    func pngChunkPastEnd() throws {
        let bytes = Fixture.png()
        let cut = try #require(try inspect(Array(bytes.prefix(bytes.count - 15))))
        #expect(cut.damage?.hasPrefix("truncated: chunk 'IDAT'") == true)
        let lying = Fixture.pngSignature + Fixture.ihdr(width: 1, height: 1) + Fixture.be32(1_000_000) + Fixture.ascii("IDAT") + [1, 2, 3]
        #expect(try inspect(lying)?.damage?.contains("extends past end of file") == true)
    }

    @Test("PNG chunk length above 2^31-1 is damage")
    func pngHugeLength() throws {
        let bytes = Fixture.pngSignature + Fixture.ihdr(width: 1, height: 1) + [0xFF, 0xFF, 0xFF, 0xF0] + Fixture.ascii("IDAT")
        #expect(try inspect(bytes)?.damage?.contains("2^31-1") == true)
    }

    @Test("PNG whose first chunk is not IHDR, or whose IHDR checksum is wrong")
    func pngBadIHDR() throws {
        let late = Fixture.pngSignature + Fixture.chunk("tEXt", Fixture.ascii("a\0b")) + Fixture.ihdr(width: 2, height: 3)
            + Fixture.chunk("IEND", [])
        let info = try #require(try inspect(late))
        #expect(info.damage == "first chunk is 'tEXt', not IHDR")
        var bad = Fixture.png()
        bad[8 + 8 + 13] ^= 0xFF  // first CRC byte
        #expect(try inspect(bad)?.damage == "IHDR checksum mismatch")
    }

    @Test("EXIF blocks above 16 MiB are dropped with a warning")
    func exifTooLarge() throws {
        let size = 16 * 1024 * 1024 + 1
        let pngHead = Fixture.pngSignature + Fixture.ihdr(width: 1, height: 1) + Fixture.be32(size) + Fixture.ascii("eXIf")
        let png = try #require(try inspect(pngHead + Fixture.exifBlock))
        #expect(png.exif == nil)
        #expect(png.warnings.first?.contains("exceeds the 16 MiB limit") == true)
        #expect(png.damage?.hasPrefix("truncated") == true)
        let webp = Fixture.webp([Fixture.vp8l(width: 1, height: 1), Fixture.ascii("EXIF") + Fixture.le32(size) + Fixture.exifBlock])
        let info = try #require(try inspect(webp))
        #expect(info.exif == nil)
        #expect(info.warnings.first?.contains("exceeds the 16 MiB limit") == true)
    }

    @Test("PNG of 100,000 empty chunks finishes promptly")
    func pngManyChunks() throws {
        let empty = Fixture.chunk("tEXt", [])
        var bytes = Fixture.pngSignature + Fixture.ihdr(width: 1, height: 1)
        bytes.reserveCapacity(bytes.count + 100_000 * empty.count + 12)
        for _ in 0 ..< 100_000 { bytes += empty }
        bytes += Fixture.chunk("IEND", [])
        let clock = ContinuousClock()
        var info: ImageInfo?
        let elapsed = try clock.measure { info = try inspect(bytes, chunkSize: 1 << 20) }
        #expect(info == ImageInfo(format: .png, width: 1, height: 1))
        #expect(elapsed < .seconds(2))
    }

    // MARK: GIF

    @Test("GIF cut before the end of its logical screen descriptor is truncated")
    func gifTruncated() throws {
        let info = try #require(try inspect(Array(Fixture.gif(width: 3, height: 4).prefix(10))))
        #expect(info.damage == "truncated: no logical screen descriptor")
    }

    // MARK: WebP

    @Test("WebP EXIF chunk, odd-sized data padded")
    func webpExif() throws {
        let exif = Fixture.exifBlock + [0x00]  // 15 bytes: padded to 16 in the file
        let bytes = Fixture.webp([Fixture.vp8x(width: 4, height: 3), Fixture.vp8l(width: 4, height: 3),
                                  Fixture.riffChunk("EXIF", Fixture.ascii("Exif") + [0, 0] + exif)])
        let info = try #require(try inspect(bytes))
        #expect(info == ImageInfo(format: .webp, width: 4, height: 3, exif: exif))
    }

    @Test("WebP shorter than its RIFF size is truncated")
    func webpTruncated() throws {
        let bytes = Fixture.webp([Fixture.vp8(width: 4, height: 3)], declaredExtra: 1000)
        let info = try #require(try inspect(bytes))
        #expect(info.damage?.hasPrefix("truncated") == true)
        #expect(info.width == 4)
    }

    @Test("WebP without a VP8, VP8L or VP8X chunk is damaged")
    func webpWithoutImage() throws {
        let bytes = Fixture.webp([Fixture.riffChunk("ICCP", [1, 2, 3])])
        #expect(try inspect(bytes)?.damage == "no VP8, VP8L or VP8X chunk")
    }

    // MARK: TIFF

    @Test("TIFF whose IFD0 offset points past the end of the file")
    func tiffBadOffset() throws {
        let bytes = Fixture.ascii("II") + [0x2A, 0] + Fixture.le32(1 << 30) + [0, 0, 0, 0]
        let info = try #require(try inspect(bytes))
        #expect(info.damage == "ifd0 offset 1073741824 past end of file")
    }

    @Test("TIFF cut inside IFD0")
    func tiffTruncated() throws {
        let bytes = Fixture.tiff(littleEndian: false, width: 9, height: 8)
        let info = try #require(try inspect(Array(bytes.prefix(bytes.count - 16))))
        #expect(info.damage == "truncated: ifd0 extends past end of file")
        #expect(info.width == 9)
    }

    // MARK: BMP

    @Test("BMP with missing pixel rows is truncated")
    func bmpTruncated() throws {
        let info = try #require(try inspect(Fixture.bmp(width: 10, height: 10, pixelBytes: 100)))
        #expect(info.damage == "truncated: pixel data ends past end of file")
        #expect(info.width == 10 && info.height == 10)
    }

    // MARK: HEIF

    @Test("HEIF without a meta box is damaged")
    func heifWithoutMeta() throws {
        let bytes = Fixture.ftyp(major: "heic", compatible: ["mif1"]) + Fixture.box("mdat", [1, 2, 3])
        #expect(try inspect(bytes)?.damage == "no meta box")
    }

    @Test("HEIF box sizes that lie: 0 (to the end), too small, 64-bit huge, 32-bit huge")
    func heifHostileSizes() throws {
        let head = Fixture.heif()
        let sizeZero = head + Fixture.be32(0) + Fixture.ascii("free")
        #expect(try inspect(sizeZero)?.damage == nil)
        let tooSmall = head + Fixture.be32(4) + Fixture.ascii("free")
        #expect(try inspect(tooSmall)?.damage?.contains("invalid size") == true)
        let huge64 = head + Fixture.be32(1) + Fixture.ascii("mdat") + Fixture.be64(UInt64.max)
        #expect(try inspect(huge64)?.damage?.hasPrefix("truncated: box 'mdat'") == true)
        let small64 = head + Fixture.be32(1) + Fixture.ascii("mdat") + Fixture.be64(3)
        #expect(try inspect(small64)?.damage?.contains("invalid size") == true)
        let huge32 = head + [0xFF, 0xFF, 0xFF, 0xFF] + Fixture.ascii("mdat") + [1, 2, 3]
        let info = try #require(try inspect(huge32))
        #expect(info.damage?.hasPrefix("truncated: box 'mdat'") == true)
        #expect(info.width == 640 && info.height == 480)
    }

    @Test("HEIF meta whose child overruns it is damaged, not read beyond")
    func heifOverrun() throws {
        var bytes = Fixture.heif()
        let ftypSize = 24
        // The first child of meta (hdlr) starts at ftyp + 8 (header) + 4 (version, flags).
        let hdlr = ftypSize + 12
        bytes.replaceSubrange(hdlr ..< hdlr + 4, with: Fixture.be32(100_000))
        #expect(try inspect(bytes)?.damage?.contains("overruns its parent") == true)
    }

    @Test("100,000 tiny boxes finish promptly")
    func manyBoxes() throws {
        var bytes = Fixture.ftyp(major: "heic", compatible: ["mif1"])
        let free = Fixture.box("free", [])
        bytes.reserveCapacity(bytes.count + 120_000 * free.count)
        for _ in 0 ..< 120_000 { bytes += free }
        let clock = ContinuousClock()
        var info: ImageInfo?
        let elapsed = try clock.measure { info = try inspect(bytes) }
        #expect(info?.damage == "more than 100000 boxes")
        #expect(elapsed < .seconds(2))
    }

    @Test("hostile prefixes of every fixture never crash", arguments: ImageFormat.allCases)
    func everyPrefix(format: ImageFormat) throws {
        let bytes: [UInt8] = switch format {
        case .jpeg: Fixture.jpeg()
        case .png: Fixture.png(extra: [Fixture.chunk("eXIf", Fixture.exifBlock)])
        case .gif: Fixture.gif(width: 1, height: 1)
        case .webp: Fixture.webp([Fixture.vp8x(width: 4, height: 3), Fixture.vp8(width: 4, height: 3)])
        case .tiff: Fixture.tiff(littleEndian: true, width: 1, height: 1)
        case .bmp: Fixture.bmp(width: 2, height: 2)
        case .heic, .heif, .avif: Fixture.heif()
        }
        // Prefixes, and the whole file with each byte flipped: damage or not, never a trap.
        for cut in 0 ... bytes.count {
            let piece = Array(bytes.prefix(cut))
            let inspector = ImageInspector(format: format)
            piece.withUnsafeBytes { inspector.consume($0) }
            let info = try inspector.finish(file: InMemoryBytes(piece))
            // A GIF cut inside its blocks is not damage (trailerless GIFs are common), and a
            // HEIF cut between boxes is well formed.
            if cut < bytes.count, ![.gif, .heic, .heif, .avif].contains(format) {
                #expect(info.damage != nil, "cut at \(cut)")
            }
        }
        for i in bytes.indices {
            var flipped = bytes
            flipped[i] ^= 0xA5
            let inspector = ImageInspector(format: format)
            flipped.withUnsafeBytes { inspector.consume($0) }
            _ = try inspector.finish(file: InMemoryBytes(flipped))
        }
    }
}
