import ImgrepoCore
import ImgrepoExif
import Testing

/// How the summary treats values that real cameras write oddly, on hand-built payloads.
@Suite("summary rules")
struct SummaryRulesTests {
    let decoder = LibexifDecoder()

    @Test("capture time falls back to DateTimeDigitized, then DateTime", arguments: [false, true])
    func dateFallback(bigEndian: Bool) {
        var t = TIFFBuilder(bigEndian: bigEndian)
        t.ifd0 = [t.ascii(0x0132, "2001:02:03 04:05:06")]
        #expect(decoder.decode(tiff: t.build()).summary.takenLocal == "2001-02-03T04:05:06")
        t.exif = [t.ascii(0x9004, "2002:03:04 05:06:07"), t.ascii(0x9292, "5"), t.ascii(0x9012, "-03:30")]
        let digitized = decoder.decode(tiff: t.build()).summary
        #expect(digitized.takenLocal == "2002-03-04T05:06:07.5")
        #expect(digitized.takenOffset == "-03:30")
        t.exif.append(t.ascii(0x9003, "2003:04:05 06:07:08"))
        let original = decoder.decode(tiff: t.build()).summary
        #expect(original.takenLocal == "2003-04-05T06:07:08")
        #expect(original.takenOffset == nil, "the digitized offset does not describe the original time")
    }

    @Test("the capture instant falls back to the GPS date and time when no offset is recorded")
    func gpsInstantFallback() {
        var t = TIFFBuilder()
        t.exif = [t.ascii(0x9003, "2023:06:01 14:34:56")]
        t.gps = [t.ascii(0x001D, "2023:06:01"), t.rational(0x0007, (12, 1), (34, 1), (5525, 100))]
        let noOffset = decoder.decode(tiff: t.build()).summary
        #expect(noOffset.gpsDateTime == Timestamp(iso8601: "2023-06-01T12:34:55.25Z"))
        #expect(noOffset.takenUTC == Timestamp(iso8601: "2023-06-01T12:34:55.25Z"))
        t.exif.append(t.ascii(0x9011, "+02:00"))
        #expect(decoder.decode(tiff: t.build()).summary.takenUTC == Timestamp(iso8601: "2023-06-01T12:34:56Z"),
                "the camera's own offset wins")
        t.gps = [t.ascii(0x001D, "2023:06:01"), t.rational(0x0007, (25, 1), (0, 1), (0, 1))]
        #expect(decoder.decode(tiff: t.build()).summary.gpsDateTime == nil, "hour 25")
        t.gps = [t.rational(0x0007, (12, 1), (0, 1), (0, 1))]
        #expect(decoder.decode(tiff: t.build()).summary.gpsDateTime == nil, "a time without a date")
    }

    @Test("unset clocks and malformed dates give no capture time",
          arguments: ["0000:00:00 00:00:00", "    :  :     :  :  ", "2023:13:01 00:00:00", "2023:06:01", "garbage"])
    func badDates(text: String) {
        var t = TIFFBuilder()
        t.exif = [t.ascii(0x9003, text)]
        #expect(decoder.decode(tiff: t.build()).summary.takenLocal == nil)
    }

    @Test("sub-seconds must be digits; offsets must be ±HH:MM")
    func subSecondsAndOffsets() {
        var t = TIFFBuilder()
        t.exif = [t.ascii(0x9003, "2023:06:01 12:34:56"), t.ascii(0x9291, "12a"), t.ascii(0x9011, "+2:00")]
        let s = decoder.decode(tiff: t.build()).summary
        #expect(s.takenLocal == "2023-06-01T12:34:56")
        #expect(s.takenOffset == nil)
        t.exif = [t.ascii(0x9003, "2023:06:01 12:34:56"), t.ascii(0x9291, "  042 "), t.ascii(0x9011, "-11:00")]
        let s2 = decoder.decode(tiff: t.build()).summary
        #expect(s2.takenLocal == "2023-06-01T12:34:56.042")
        #expect(s2.takenOffset == "-11:00")
    }

    @Test("strings lose trailing NULs and spaces; empty strings are absent; bad UTF-8 is repaired")
    func strings() throws {
        var t = TIFFBuilder()
        t.ifd0 = [t.ascii(0x010F, "Canon   \0\0\0"), t.ascii(0x0110, "   "),
                  TIFFBuilder.Field(tag: 0x0131, type: 2, count: 4, data: [0x41, 0xFF, 0xFE, 0])]
        let s = decoder.decode(tiff: t.build()).summary
        #expect(s.make == "Canon")
        #expect(s.model == nil)
        let software = try #require(s.software)
        #expect(software.hasPrefix("A") && software.unicodeScalars.contains("\u{FFFD}"))
    }

    @Test("orientation outside 1–8 is absent", arguments: [0, 9, 65535] as [UInt16])
    func orientation(value: UInt16) {
        var t = TIFFBuilder()
        t.ifd0 = [t.short(0x0112, value)]
        #expect(decoder.decode(tiff: t.build()).summary.orientation == nil)
    }

    @Test("ISO takes the first of several components")
    func isoFirstComponent() {
        var t = TIFFBuilder()
        t.exif = [t.short(0x8827, 640, 0)]
        #expect(decoder.decode(tiff: t.build()).summary.iso == 640)
    }

    @Test("gps with a zero denominator, out of range, or too few parts is absent")
    func badCoordinates() {
        var t = TIFFBuilder()
        t.gps = [t.ascii(0x0001, "N"), t.rational(0x0002, (10, 1), (30, 0), (0, 1)),
                 t.ascii(0x0003, "E"), t.rational(0x0004, (181, 1), (0, 1), (0, 1)),
                 t.byte(0x0005, 0), t.rational(0x0006, (5, 0))]
        let s = decoder.decode(tiff: t.build()).summary
        #expect(s.gpsLatitude == nil)
        #expect(s.gpsLongitude == nil)
        #expect(s.gpsAltitude == nil)
        t.gps = [t.ascii(0x0001, "S"), t.rational(0x0002, (10, 1), (30, 1)),
                 t.ascii(0x0003, "W"), t.srational(0x0004, (100, 1), (30, 1), (36, 1))]
        let s2 = decoder.decode(tiff: t.build()).summary
        #expect(s2.gpsLatitude == nil)
        #expect(close(s2.gpsLongitude, -100.51))
    }

    @Test("unknown tags are reported under a hex name")
    func unknownTag() throws {
        var t = TIFFBuilder()
        t.ifd0 = [t.ascii(0x010F, "Canon"), t.short(0xC7AB, 7)]
        let tags = decoder.decode(tiff: t.build()).tags
        let unknown = try #require(tags.first { $0.tagID == 0xC7AB })
        #expect(unknown.name == "0xC7AB")
        #expect(unknown.number == 7)
    }
}
