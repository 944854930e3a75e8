import ImageProbe
import Testing

@Suite("Dimensions from headers")
struct DimensionTests {
    @Test("JPEG: baseline and progressive SOF", arguments: [UInt8(0xC0), 0xC1, 0xC2, 0xC3, 0xC9, 0xCF])
    func jpeg(frameMarker: UInt8) throws {
        let info = try #require(try inspect(Fixture.jpeg(width: 4000, height: 3000, frameMarker: frameMarker)))
        #expect(info.format == .jpeg)
        #expect(info.width == 4000 && info.height == 3000)
        #expect(info.damage == nil)
    }

    @Test("PNG: IHDR")
    func png() throws {
        let info = try #require(try inspect(Fixture.png(width: 1920, height: 1080)))
        #expect(info == ImageInfo(format: .png, width: 1920, height: 1080))
    }

    @Test("GIF: logical screen descriptor")
    func gif() throws {
        let info = try #require(try inspect(Fixture.gif(width: 500, height: 260)))
        #expect(info == ImageInfo(format: .gif, width: 500, height: 260))
    }

    @Test("WebP: lossy VP8")
    func webpLossy() throws {
        let info = try #require(try inspect(Fixture.webp([Fixture.vp8(width: 1023, height: 767)])))
        #expect(info == ImageInfo(format: .webp, width: 1023, height: 767))
    }

    @Test("WebP: lossless VP8L, 14-bit fields at their limits")
    func webpLossless() throws {
        let info = try #require(try inspect(Fixture.webp([Fixture.vp8l(width: 16384, height: 3)])))
        #expect(info == ImageInfo(format: .webp, width: 16384, height: 3))
    }

    @Test("WebP: extended VP8X canvas with 24-bit sizes wins over the frame")
    func webpExtended() throws {
        let bytes = Fixture.webp([Fixture.vp8x(width: 70000, height: 2), Fixture.vp8(width: 10, height: 10)])
        let info = try #require(try inspect(bytes))
        #expect(info == ImageInfo(format: .webp, width: 70000, height: 2))
    }

    @Test("TIFF: IFD0 at the end, both byte orders, SHORT and LONG", arguments: [true, false], [3, 4])
    func tiff(littleEndian: Bool, widthType: Int) throws {
        let bytes = Fixture.tiff(littleEndian: littleEndian, width: 3000, height: 70000, widthType: widthType)
        let info = try #require(try inspect(bytes))
        #expect(info == ImageInfo(format: .tiff, width: 3000, height: 70000))
    }

    @Test("TIFF: BigTIFF IFD0")
    func bigTIFF() throws {
        // Header: II, 43, offset size 8, reserved 0, IFD0 at 16; two entries of 20 bytes.
        func entry(_ tag: Int, _ type: Int, _ value: Int) -> [UInt8] {
            Fixture.le16(tag) + Fixture.le16(type) + Fixture.le32(1) + Fixture.le32(0)
                + Fixture.le32(value) + Fixture.le32(0)
        }
        let bytes = Fixture.ascii("II") + Fixture.le16(43) + Fixture.le16(8) + Fixture.le16(0)
            + Fixture.le32(16) + Fixture.le32(0)
            + Fixture.le32(2) + Fixture.le32(0) + entry(256, 16, 12345) + entry(257, 3, 678) + [UInt8](repeating: 0, count: 8)
        let info = try #require(try inspect(bytes))
        #expect(info == ImageInfo(format: .tiff, width: 12345, height: 678))
    }

    @Test("BMP: bottom-up, top-down (negative height) and the OS/2 core header")
    func bmp() throws {
        #expect(try inspect(Fixture.bmp(width: 5, height: 3)) == ImageInfo(format: .bmp, width: 5, height: 3))
        #expect(try inspect(Fixture.bmp(width: 5, height: -3)) == ImageInfo(format: .bmp, width: 5, height: 3))
        #expect(try inspect(Fixture.bmpCore(width: 7, height: 2)) == ImageInfo(format: .bmp, width: 7, height: 2))
    }

    @Test("HEIF: the primary item's ispe, not the larger thumbnail's")
    func heifPrimary() throws {
        let info = try #require(try inspect(Fixture.heif(width: 640, height: 480)))
        #expect(info == ImageInfo(format: .heic, width: 640, height: 480))
    }

    @Test("HEIF: without pitm, the largest ispe")
    func heifLargest() throws {
        let info = try #require(try inspect(Fixture.heif(width: 640, height: 480, withPrimary: false)))
        #expect(info == ImageInfo(format: .heic, width: 8000, height: 6000))
    }

    @Test("HEIF: ispe extents whose width × height passes Int.max are compared, not trapped on (found by make fuzz)")
    func ispeHugeExtents() throws {
        let info = try #require(try inspect(Fixture.heif(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF, withPrimary: false)))
        #expect(info.width == 0xFFFF_FFFF && info.height == 0xFFFF_FFFF)
        let wide = try #require(try inspect(Fixture.heif(width: 0xFFFF_FFFF, height: 0x8000_0001, withPrimary: false)))
        #expect(wide.width == 0xFFFF_FFFF && wide.height == 0x8000_0001)
    }

    @Test("AVIF: same box tree, own format")
    func avif() throws {
        let info = try #require(try inspect(Fixture.heif(brand: "avif", width: 33, height: 44)))
        #expect(info == ImageInfo(format: .avif, width: 33, height: 44))
    }

    @Test("HEIF: a 64-bit mdat size and a last box running to the end of the file")
    func heifBoxSizes() throws {
        let payload: [UInt8] = [9, 9, 9, 9, 9]
        let large = Fixture.be32(1) + Fixture.ascii("mdat") + Fixture.be64(UInt64(16 + payload.count)) + payload
        let toEnd = Fixture.be32(0) + Fixture.ascii("mdat") + payload + payload
        let info = try #require(try inspect(Fixture.heif(mdat: large + toEnd)))
        #expect(info == ImageInfo(format: .heic, width: 640, height: 480))
    }
}
