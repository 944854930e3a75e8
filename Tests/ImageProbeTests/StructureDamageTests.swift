import ImageProbe
import Testing

/// Headers that describe no picture (a zero dimension) or pixels the file cannot hold are damage
/// in every format, as BMP's width 0 always was: the upload refuses them unless
/// `--allow-damaged`. Each hostile file is a valid fixture with a few bytes patched.
@Suite("Damage: empty sizes and pixels outside the file")
struct StructureDamageTests {
    /// `bytes` with `replacement` written over it at `offset`.
    func patched(_ bytes: [UInt8], at offset: Int, _ replacement: [UInt8]) -> [UInt8] {
        var b = bytes
        b.replaceSubrange(offset ..< offset + replacement.count, with: replacement)
        return b
    }

    /// The offset of the first occurrence of `needle` in `bytes`.
    func offset(of needle: [UInt8], in bytes: [UInt8]) throws -> Int {
        try #require(bytes.indices.first { bytes[$0...].starts(with: needle) }, "fixture lacks \(needle)")
    }

    // MARK: BMP, the pattern

    @Test("BMP: width 0 is damage")
    func bmpWidthZero() throws {
        let bmp = patched(Fixture.bmp(width: 4, height: 4), at: 18, Fixture.le32(0))
        #expect(try inspect(bmp)?.damage == "invalid bitmap width 0")
    }

    // MARK: JPEG

    /// The fixture JPEG with its frame header's height and width replaced.
    func jpeg(frameWidth: Int, frameHeight: Int) throws -> [UInt8] {
        let valid = Fixture.jpeg(width: 320, height: 240)
        #expect(try inspect(valid)?.damage == nil)
        // FF C0, length, precision, then height and width.
        let sof = try offset(of: [0xFF, 0xC0], in: valid)
        return patched(valid, at: sof + 5, Fixture.be16(frameHeight) + Fixture.be16(frameWidth))
    }

    @Test("JPEG: a frame header of 0x0 is damage", arguments: [1, 7, 1 << 20])
    func jpegZeroSize(chunkSize: Int) throws {
        let info = try #require(try inspect(try jpeg(frameWidth: 0, frameHeight: 0), chunkSize: chunkSize))
        #expect(info.damage == "invalid frame size 0x0")
        #expect(info.width == nil && info.height == nil)
    }

    @Test("JPEG: width 0 with a height is damage")
    func jpegZeroWidth() throws {
        #expect(try inspect(try jpeg(frameWidth: 0, frameHeight: 240))?.damage == "invalid frame size 0x240")
    }

    @Test("JPEG: height 0 with no DNL segment to give it is damage")
    func jpegZeroHeightWithoutDNL() throws {
        #expect(try inspect(try jpeg(frameWidth: 320, frameHeight: 0))?.damage
            == "invalid frame height 0, and no DNL segment gives it")
    }

    @Test("JPEG: height 0 given by a DNL segment after the first scan is valid")
    func jpegHeightFromDNL() throws {
        let zero = try jpeg(frameWidth: 320, frameHeight: 0)
        // DNL (FF DC, length 4, lines) right after the scan data, before EOI.
        let withDNL = Array(zero.dropLast(2)) + Fixture.segment(0xDC, Fixture.be16(240)) + [0xFF, 0xD9]
        let info = try #require(try inspect(withDNL))
        #expect(info.damage == nil)
        #expect(info.width == 320 && info.height == 240)
    }

    // MARK: PNG

    @Test("PNG: an IHDR (with a correct checksum) of width or height 0 is damage", arguments: [(0, 9), (16, 0), (0, 0)])
    func pngZeroSize(width: Int, height: Int) throws {
        let valid = Fixture.png(width: 16, height: 9)
        #expect(try inspect(valid)?.damage == nil)
        // Signature (8), length (4), then "IHDR" and 13 bytes of data, then the CRC.
        let data = Fixture.be32(width) + Fixture.be32(height) + Array(valid[24 ..< 29])
        let png = patched(valid, at: 16, data + Fixture.be32(Int(Fixture.crc32(Fixture.ascii("IHDR") + data))))
        #expect(try inspect(png)?.damage == "invalid IHDR size \(width)x\(height)")
    }

    // MARK: WebP

    @Test("WebP: a lossy VP8 frame of width or height 0 is damage")
    func webpZeroSize() throws {
        let valid = Fixture.webp([Fixture.vp8(width: 4, height: 3)])
        #expect(try inspect(valid)?.damage == nil)
        // RIFF header (12), chunk header (8), frame tag (3), start code (3), then width and height.
        #expect(try inspect(patched(valid, at: 26, Fixture.le16(0)))?.damage == "invalid vp8 frame size 0x3")
        #expect(try inspect(patched(valid, at: 28, Fixture.le16(0)))?.damage == "invalid vp8 frame size 4x0")
    }

    // MARK: TIFF

    /// Offset of IFD0's entry for `tag` in `Fixture.tiff(littleEndian: true, ...)`.
    func tiffEntry(_ tiff: [UInt8], tag: Int) throws -> Int {
        func le(_ at: Int, _ n: Int) -> Int { (0 ..< n).reduce(0) { $0 | Int(tiff[at + $1]) << (8 * $1) } }
        let ifd = le(4, 4)
        let count = le(ifd, 2)
        let entry = try #require((0 ..< count).first { le(ifd + 2 + 12 * $0, 2) == tag }, "no tag \(tag)")
        return ifd + 2 + 12 * entry
    }

    @Test("TIFF: a strip whose byte count runs past the end of the file is damage")
    func tiffStripPastEnd() throws {
        let valid = Fixture.tiff(littleEndian: true, width: 5, height: 4)
        #expect(try inspect(valid)?.damage == nil)
        let counts = try tiffEntry(valid, tag: 279)
        let tiff = patched(valid, at: counts + 8, Fixture.le32(4000))
        #expect(try inspect(tiff)?.damage == "truncated: strip 0 (offset 8, 4000 bytes) runs past end of file")
        let offsets = try tiffEntry(valid, tag: 273)
        let moved = patched(valid, at: offsets + 8, Fixture.le32(valid.count - 10))
        #expect(try inspect(moved)?.damage?.hasPrefix("truncated: strip 0 (offset \(valid.count - 10), 40 bytes)") == true)
    }

    @Test("TIFF: strip arrays stored outside the entry are all checked, in both byte orders", arguments: [true, false])
    func tiffStripArrays(littleEndian: Bool) throws {
        func u16(_ v: Int) -> [UInt8] { littleEndian ? Fixture.le16(v) : Fixture.be16(v) }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? Fixture.le32(v) : Fixture.be32(v) }
        /// Three strips of 10 bytes at 8, 18 and 28; the last strip's count is `lastCount`.
        func tiff(lastCount: Int, countType: Int) -> [UInt8] {
            let pixels = [UInt8](repeating: 0x55, count: 30)
            let offsetsAt = 8 + pixels.count
            let offsets = u32(8) + u32(18) + u32(28)
            let countsAt = offsetsAt + offsets.count
            let counts = countType == 3 ? u16(10) + u16(10) + u16(lastCount) + [0, 0] : u32(10) + u32(10) + u32(lastCount)
            let ifdOffset = countsAt + counts.count
            func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] {
                u16(tag) + u16(type) + u32(count) + value
            }
            let entries = entry(256, 4, 1, u32(10)) + entry(257, 4, 1, u32(3)) + entry(273, 4, 3, u32(offsetsAt))
                + entry(279, countType, 3, u32(countsAt))
            return (littleEndian ? Fixture.ascii("II") + [0x2A, 0] : Fixture.ascii("MM") + [0, 0x2A]) + u32(ifdOffset)
                + pixels + offsets + counts + u16(4) + entries + u32(0)
        }
        for type in [3, 4] {
            #expect(try inspect(tiff(lastCount: 10, countType: type))?.damage == nil)
            #expect(try inspect(tiff(lastCount: 400, countType: type))?.damage
                == "truncated: strip 2 (offset 28, 400 bytes) runs past end of file")
        }
    }

    @Test("TIFF: StripByteCounts values stored past the end of the file are damage")
    func tiffStripCountsOutside() throws {
        let valid = Fixture.tiff(littleEndian: true, width: 5, height: 4)
        let counts = try tiffEntry(valid, tag: 279)
        // Two values do not fit in the entry: the field becomes an offset, here past the end.
        let tiff = patched(valid, at: counts + 4, Fixture.le32(2) + Fixture.le32(1 << 20))
        #expect(try inspect(tiff)?.damage == "StripByteCounts values lie past end of file")
    }

    @Test("TIFF: ImageWidth or ImageLength 0 is damage")
    func tiffZeroSize() throws {
        let valid = Fixture.tiff(littleEndian: true, width: 5, height: 4)
        let width = try tiffEntry(valid, tag: 256)
        // ImageWidth is a SHORT: its value sits left-justified in the 4-byte field.
        #expect(try inspect(patched(valid, at: width + 8, Fixture.le16(0)))?.damage == "invalid image size 0x4 in ifd0")
    }

    // MARK: GIF

    @Test("GIF: a frame reaching outside the logical screen is damage", arguments: [
        (1, 0, 10, 8), (0, 1, 10, 8), (0, 0, 11, 8), (0, 0, 10, 9), (0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF),
    ])
    func gifFrameOutside(left: Int, top: Int, width: Int, height: Int) throws {
        let valid = Fixture.gif(width: 10, height: 8)
        #expect(try inspect(valid)?.damage == nil)
        let frame = Fixture.le16(left) + Fixture.le16(top) + Fixture.le16(width) + Fixture.le16(height)
        let gif = patched(valid, at: Fixture.gifFrameOffset + 1, frame)
        #expect(try inspect(gif)?.damage
            == "frame 1 (\(width)x\(height) at \(left),\(top)) lies outside the 10x8 logical screen")
    }

    @Test("GIF: a later frame outside the screen is found past extensions and local colour tables")
    func gifSecondFrameOutside() throws {
        let valid = Fixture.gif(width: 10, height: 8)
        let body = valid.dropLast()  // the trailer
        let frameStart = Fixture.gifFrameOffset
        let first = Array(valid[frameStart ..< valid.count - 1])
        // A frame with a 4-colour local table, 2x2 at 9,7: one pixel past each edge.
        let second = [0x2C] + Fixture.le16(9) + Fixture.le16(7) + Fixture.le16(2) + Fixture.le16(2) + [0x81]
            + [UInt8](repeating: 0, count: 12) + [2, 2, 0x44, 0x01, 0]
        let comment = [0x21, 0xFE, 5] + Fixture.ascii("hello") + [0]
        let gif = Array(body) + comment + first + second + [0x3B]
        #expect(try inspect(Array(body) + comment + first + [0x3B])?.damage == nil)
        #expect(try inspect(gif)?.damage == "frame 3 (2x2 at 9,7) lies outside the 10x8 logical screen")
    }

    @Test("GIF: a logical screen of width or height 0 is damage")
    func gifZeroScreen() throws {
        let valid = Fixture.gif(width: 10, height: 8)
        #expect(try inspect(patched(valid, at: 6, Fixture.le16(0)))?.damage == "invalid logical screen size 0x8")
    }
}
