import ImageProbe
import Testing

/// APP12 "Picture Info" as exiftool documents it (APP12.pm): a maker's name, then ASCII
/// `[section]` headers and `key=value` lines separated by CR LF.
func pictureInfoText(_ lines: [String]) -> [UInt8] {
    Array("OLYMPUS OPTICAL CO.,LTD.\0 713\r\n".utf8) + Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
}

/// SOI, APP12 with `payload`, DQT, SOF, DHT, a scan, EOI.
func jpegWithAPP12(_ payload: [UInt8]) -> [UInt8] {
    [0xFF, 0xD8] + Fixture.segment(0xEC, payload) + Fixture.dqt + Fixture.sof(width: 640, height: 480) + Fixture.dht
        + Fixture.sos + Fixture.scanData + [0xFF, 0xD9]
}

@Suite("JPEG APP12 Picture Info")
struct PictureInfoTests {
    static let text = pictureInfoText([
        "[picture info]", "TimeDate=946730096", "Shutter=16667", "Flash=1", "Resolution=1", "FNumber=F5.6",
        "[camera info]", "Type=SR55", "ID=SOME CAMERA",
    ])

    /// What `text` holds: the shutter time is the microseconds times 1e-6, as exiftool computes it.
    static let expected = PictureInfo(takenLocal: "2000-01-01T12:34:56", exposureTime: 16667 * 1e-6, fNumber: 5.6, flash: 1)

    func parsed(_ lines: [String]) -> PictureInfo? { PictureInfo.parse(pictureInfoText(lines)) }

    @Test("the JPEG walk finds the segment and parses it")
    func inJPEG() throws {
        let info = try #require(try inspect(jpegWithAPP12(Self.text)))
        #expect(info.damage == nil)
        #expect(info.width == 640)
        #expect(info.pictureInfo == Self.expected)
    }

    @Test("TimeDate: seconds since 1970, as a UTC date and time")
    func timeDate() {
        #expect(parsed(["TimeDate=946730096"])?.takenLocal == "2000-01-01T12:34:56")
        #expect(parsed(["TimeDate=951782399"])?.takenLocal == "2000-02-28T23:59:59")
        #expect(parsed(["TimeDate=951782400"])?.takenLocal == "2000-02-29T00:00:00")
        #expect(parsed(["TimeDate=0"]) == nil)
        #expect(parsed(["TimeDate=1998:10:29"]) == nil)
    }

    @Test("Shutter (or shtr) in microseconds")
    func shutter() {
        #expect(parsed(["Shutter=33363"])?.exposureTime == 33363 * 1e-6)
        #expect(parsed(["shtr=1000"])?.exposureTime == 1000 * 1e-6)
        #expect(parsed(["Shutter=fast"]) == nil)
    }

    @Test("FNumber, with or without Agfa's leading F")
    func fNumber() {
        #expect(parsed(["FNumber=2.8"])?.fNumber == 2.8)
        #expect(parsed(["FNumber=F2.8"])?.fNumber == 2.8)
    }

    @Test("Flash: 0 or 1")
    func flash() {
        #expect(parsed(["Flash=0"])?.flash == 0)
        #expect(parsed(["Flash=1"])?.flash == 1)
        #expect(parsed(["Flash=On"]) == nil)
    }

    @Test("pairs separated by spaces, trailing blanks, and the first of a repeated key")
    func tokens() {
        let info = PictureInfo.parse(Array("Shutter=500  FNumber=4.0 \r\nShutter=9\0Flash=0".utf8))
        #expect(info == PictureInfo(exposureTime: 500 * 1e-6, fNumber: 4, flash: 0))
    }

    @Test("a Ducky segment, or one without these keys, gives nothing")
    func nothing() throws {
        #expect(PictureInfo.parse(Array("Ducky".utf8) + [0, 1, 0, 4, 0, 0, 0, 50]) == nil)
        #expect(parsed(["[picture info]", "Resolution=1"]) == nil)
        #expect(try inspect(jpegWithAPP12(Array("Ducky\0Shutter=10".utf8)))?.pictureInfo == nil)
    }

    @Test("every truncation of the file and of the text is safe; a cut value never reads as another")
    func truncated() throws {
        let file = jpegWithAPP12(Self.text)
        for length in 0 ... file.count {
            let info = try inspect(Array(file.prefix(length)))
            if let p = info?.pictureInfo { #expect(p == Self.expected) }
        }
        for length in 0 ... Self.text.count {
            _ = PictureInfo.parse(Self.text.prefix(length))
        }
    }

    @Test("hostile text: long runs without separators stay linear, odd bytes are skipped")
    func hostile() {
        let runs: [[UInt8]] = [
            [UInt8](repeating: 0x61, count: 65_000),
            [UInt8](repeating: 0x20, count: 65_000),
            Array("a=".utf8) + [UInt8](repeating: 0x20, count: 65_000),
            Array("a=b".utf8) + [UInt8](repeating: 0x3D, count: 65_000),
            [UInt8](repeating: 0x5B, count: 65_000),
            (0 ..< 65_000).map { UInt8(truncatingIfNeeded: $0 &* 131) },
        ]
        let clock = ContinuousClock()
        for run in runs {
            let elapsed = clock.measure { _ = PictureInfo.parse(run) }
            #expect(elapsed < .seconds(2))
        }
        #expect(PictureInfo.parse(Array("Shutter=1\u{7F}2".utf8)) == nil)
        #expect(PictureInfo.parse([0xFF, 0x00] + Array("Flash=1".utf8))?.flash == 1)
    }
}
