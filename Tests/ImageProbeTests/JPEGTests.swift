import ImageProbe
import Testing

@Suite("JPEG marker walk")
struct JPEGTests {
    static let complete = ImageInfo(format: .jpeg, width: 320, height: 240, exif: Fixture.exifBlock)

    @Test("a complete file: size, EXIF, no damage")
    func complete() throws {
        #expect(try inspect(Fixture.jpeg()) == Self.complete)
    }

    @Test("split in two at every offset, the result is the same")
    func everySplit() throws {
        let bytes = Fixture.jpeg()
        for k in 0 ... bytes.count {
            #expect(try inspect(bytes, splits: [k]) == Self.complete, "split at \(k)")
        }
    }

    @Test("fed in 1-, 2-, 3- and 7-byte chunks, the result is the same", arguments: [1, 2, 3, 7])
    func smallChunks(size: Int) throws {
        #expect(try inspect(Fixture.jpeg(), chunkSize: size) == Self.complete)
        #expect(try inspect(Fixture.jpeg(scans: 3), chunkSize: size) == Self.complete)
    }

    @Test("truncations in every chunking give the same damage", arguments: [1, 5, 1 << 20])
    func truncationsAnyChunking(size: Int) throws {
        let bytes = Fixture.jpeg()
        for cut in 3 ..< bytes.count - 2 {
            let piece = Array(bytes.prefix(cut))
            let whole = try inspect(piece)
            #expect(try inspect(piece, chunkSize: size) == whole, "cut at \(cut)")
            #expect(whole?.damage != nil, "cut at \(cut)")
        }
    }

    @Test("an EXIF APP1 segment split over two chunks is collected whole")
    func exifAcrossChunks() throws {
        let bytes = Fixture.jpeg()
        // Inside "Exif\0\0", inside the TIFF header, and one byte before the segment's end.
        for split in [6, 9, 14, 4 + 2 + 6 + Fixture.exifBlock.count - 1] {
            #expect(try inspect(bytes, splits: [split])?.exif == Fixture.exifBlock)
        }
    }

    @Test("cut inside scan data")
    func truncatedScan() throws {
        let bytes = Fixture.jpeg()
        let info = try #require(try inspect(Array(bytes.prefix(bytes.count - 4))))
        #expect(info.damage == "truncated: no end-of-image marker after scan data")
        #expect(info.width == 320 && info.height == 240)
    }

    @Test("cut inside a marker segment")
    func truncatedSegment() throws {
        let head: [UInt8] = [0xFF, 0xD8] + Fixture.dqt
        let info = try #require(try inspect(Array(head.prefix(head.count - 10))))
        #expect(info.damage == "truncated inside a marker segment")
    }

    @Test("header only: segments end cleanly but no scan follows")
    func headerOnly() throws {
        let head: [UInt8] = [0xFF, 0xD8] + Fixture.dqt + Fixture.sof(width: 8, height: 8) + Fixture.dht
        let info = try #require(try inspect(head))
        #expect(info.damage == "truncated: no scan data")
        #expect(info.width == 8 && info.height == 8)
    }

    @Test("bytes after EOI (previews, padding, garbage) are not damage")
    func trailingData() throws {
        let garbage: [UInt8] = [0x00, 0xFF, 0x12, 0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]
        #expect(try inspect(Fixture.jpeg() + garbage) == Self.complete)
        #expect(try inspect(Fixture.jpeg() + Fixture.jpeg(width: 160, height: 120)) == Self.complete)
        #expect(try inspect(Fixture.jpeg() + [UInt8](repeating: 0, count: 4096), chunkSize: 100) == Self.complete)
    }

    @Test("progressive: DHT and SOS again between scans")
    func progressive() throws {
        let info = try #require(try inspect(Fixture.jpeg(frameMarker: 0xC2, scans: 5)))
        #expect(info == Self.complete)
    }

    @Test("fill bytes before markers, between segments and after scan data")
    func fillBytes() throws {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xFF] + Fixture.dqt
        bytes += [0xFF, 0xFF, 0xFF] + Fixture.sof(width: 10, height: 20) + Fixture.dht + Fixture.sos
        bytes += Fixture.scanData + [0xFF, 0xFF, 0xFF, 0xD9]
        #expect(try inspect(bytes, chunkSize: 1) == ImageInfo(format: .jpeg, width: 10, height: 20))
    }

    @Test("a stray byte where a marker belongs is damage at its offset, and the size is still found")
    func strayByte() throws {
        let head: [UInt8] = [0xFF, 0xD8] + Fixture.dqt
        let bytes = head + [0x00] + Fixture.sof(width: 10, height: 20) + Fixture.dht + Fixture.sos
            + Fixture.scanData + [0xFF, 0xD9]
        let info = try #require(try inspect(bytes))
        #expect(info.damage == "corrupt marker structure at offset \(head.count)")
        #expect(info.width == 10 && info.height == 20)
    }

    @Test("a reserved marker code inside scan data is damage at its FF")
    func reservedMarkerInScan() throws {
        let head = Array(Fixture.jpeg().dropLast(2 + Fixture.scanData.count))
        let bytes = head + [0x11, 0x22, 0xFF, 0x9F, 0x33] + Fixture.scanData + [0xFF, 0xD9]
        let info = try #require(try inspect(bytes, chunkSize: 3))
        #expect(info.damage == "corrupt marker structure at offset \(head.count + 2)")
        #expect(info.width == 320 && info.exif == Fixture.exifBlock)
    }

    @Test("the in-memory convenience sniffs and inspects in one call")
    func inspectInMemory() {
        #expect(ImageInspector.inspect(Fixture.jpeg(), chunkSize: 5) == Self.complete)
        #expect(ImageInspector.inspect(Fixture.ascii("plain text, not an image")) == nil)
    }

    @Test("a scan without a frame header is damage")
    func scanWithoutFrame() throws {
        let bytes: [UInt8] = [0xFF, 0xD8] + Fixture.dqt + Fixture.dht + Fixture.sos + Fixture.scanData + [0xFF, 0xD9]
        let info = try #require(try inspect(bytes))
        #expect(info.damage?.contains("no SOF") == true)
        #expect(info.width == nil)
    }

    @Test("a segment length below 2 is damage, not a loop")
    func zeroLength() throws {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x00] + Fixture.sof(width: 1, height: 1)
        let info = try #require(try inspect(bytes))
        #expect(info.damage == "corrupt marker structure at offset 4")
    }

    @Test("an XMP APP1 segment before the EXIF one: both are kept")
    func xmpThenExif() throws {
        let xmp = Fixture.segment(0xE1, Fixture.ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"))
        let plain = Fixture.jpeg(exif: nil)
        let bytes = Array(plain.prefix(2)) + xmp + Fixture.segment(0xE1, Fixture.ascii("Exif") + [0, 0] + Fixture.exifBlock)
            + plain.dropFirst(2)
        var expected = Self.complete
        expected.xmp = Fixture.ascii("<x:xmpmeta/>")
        #expect(try inspect(bytes) == expected)
    }

    @Test("an EXIF segment without a TIFF header gives a warning and no EXIF")
    func exifWithoutTIFFHeader() throws {
        let info = try #require(try inspect(Fixture.jpeg(exif: [1, 2, 3, 4, 5, 6, 7, 8])))
        #expect(info.exif == nil)
        #expect(info.warnings.count == 1)
        #expect(info.damage == nil)
    }

    @Test("a camera-sized file is scanned in well under the time it takes to hash it")
    func largeScan() throws {
        // 5 MB of entropy-like data with an FF 00 about every 256 bytes, as a camera writes.
        var generator = SplitMix64(seed: 7)
        var scan = [UInt8](repeating: 0, count: 5_000_000)
        for i in scan.indices { scan[i] = UInt8(truncatingIfNeeded: generator.next() % 255) }
        for i in stride(from: 100, to: scan.count - 1, by: 256) { scan[i] = 0xFF; scan[i + 1] = 0 }
        let bytes = Array(Fixture.jpeg().dropLast(2)) + scan + [0xFF, 0xD9]
        let clock = ContinuousClock()
        var info: ImageInfo?
        let elapsed = try clock.measure { info = try inspect(bytes, chunkSize: 1 << 20) }
        #expect(info == Self.complete)
        // Generous for debug builds on a busy machine; the release build takes well under 1 ms.
        #expect(elapsed < .milliseconds(500))
    }
}
