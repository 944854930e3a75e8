import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
@testable import ImgrepoXMP
import Testing

/// The XMP fields, in both RDF forms, and hostile packets that must give warnings, not traps.
struct XMPDecoderTests {
    let decoder = ExpatXMPDecoder()
    static let fields = Fixtures.XMPFields(
        title: "Harbour at dusk", description: "Boats & <lights>", keywords: ["Sea", "boats", "Sea", "Été"],
        rating: 4, creators: ["Ada Lovelace", "Charles Babbage"], createDate: "2021-07-04T18:30:15.25+02:00", orientation: 6)

    @Test("element and attribute forms give the same fields", arguments: [false, true])
    func bothForms(attributes: Bool) {
        let data = decoder.decode(xmp: Fixtures.xmpPacket(Self.fields, attributes: attributes))
        #expect(data.warnings.isEmpty)
        let s = data.summary
        #expect(s.title == "Harbour at dusk")
        #expect(s.description == "Boats & <lights>")
        #expect(s.keywords == ["Sea", "boats", "Été"])
        #expect(s.rating == 4)
        #expect(s.creator == "Ada Lovelace; Charles Babbage")
        #expect(s.takenLocal == "2021-07-04T18:30:15.25")
        #expect(s.takenOffset == "+02:00")
        #expect(s.orientation == 6)
    }

    @Test func languageAlternativePrefersXDefault() {
        let packet = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
              xmlns:xmp="http://ns.adobe.com/xap/1.0/" photoshop:DateCreated="2005-09-07" xmp:CreateDate="2005-09-07T15:07:40Z">
            <dc:title><rdf:Alt><rdf:li xml:lang="de">Hafen</rdf:li><rdf:li xml:lang="x-default">Harbour</rdf:li></rdf:Alt></dc:title>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """
        let s = decoder.decode(xmp: Array(packet.utf8)).summary
        #expect(s.title == "Harbour")
        // A date without a time is no capture time: the next source is used.
        #expect(s.takenLocal == "2005-09-07T15:07:40")
        #expect(s.takenOffset == "+00:00")
    }

    @Test func billionLaughsIsRefused() {
        var packet = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            packet += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">\n"
        }
        packet += "]>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&lol9;</x:xmpmeta>"
        let data = decoder.decode(xmp: Array(packet.utf8))
        #expect(data.summary == XMPSummary())
        #expect(data.warnings.count == 1)
        #expect(data.warnings[0].contains("DOCTYPE"))
    }

    @Test func truncatedPacketIsAWarning() {
        let packet = Fixtures.xmpPacket(Self.fields)
        let data = decoder.decode(xmp: Array(packet.prefix(packet.count / 2)))
        #expect(data.summary == XMPSummary())
        #expect(data.warnings.first?.hasPrefix("xmp packet is not well-formed xml") == true)
    }

    @Test func nonUTF8IsAWarning() {
        var packet = Fixtures.xmpPacket(Self.fields)
        let at = packet.firstIndex(of: UInt8(ascii: "H"))!
        packet[at] = 0xFF
        let data = decoder.decode(xmp: packet)
        #expect(data.summary == XMPSummary())
        #expect(data.warnings.first?.contains("not well-formed") == true)
    }

    @Test func deepNestingIsAWarning() {
        let packet = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let data = decoder.decode(xmp: Array(packet.utf8))
        #expect(data.warnings == ["xmp packet nests deeper than 256 elements"])
    }

    @Test func hugeValueIsCut() {
        let fields = Fixtures.XMPFields(title: String(repeating: "x", count: 200_000))
        let data = decoder.decode(xmp: Fixtures.xmpPacket(fields))
        #expect(data.summary.title?.utf8.count == ExpatXMPDecoder.maximumValueBytes)
        #expect(data.warnings.count == 1)
    }

    @Test func ratingOutOfRangeIsAWarning() {
        let data = decoder.decode(xmp: Fixtures.xmpPacket(Fixtures.XMPFields(rating: 9)))
        #expect(data.summary.rating == nil)
        #expect(data.warnings.count == 1)
    }

    @Test func emptyAndNULPaddedPackets() {
        #expect(decoder.decode(xmp: []).warnings == ["empty xmp packet"])
        let padded = Fixtures.xmpPacket(Fixtures.XMPFields(rating: 2)) + [UInt8](repeating: 0, count: 100)
        #expect(decoder.decode(xmp: padded).summary.rating == 2)
    }

    @Test("dates", arguments: [
        ("2021-07-04T18:30", "2021-07-04T18:30:00", nil),
        ("2021:07:04 18:30:15", "2021-07-04T18:30:15", nil),
        ("2021-07-04T18:30:15.1234567-0530", "2021-07-04T18:30:15.123456", "-05:30"),
    ] as [(String, String, String?)])
    func dates(text: String, local: String, offset: String?) {
        #expect(XMPDate(text) == XMPDate(local: local, offset: offset))
    }

    @Test("impossible dates", arguments: ["2021", "2021-07-04", "2021-13-01T00:00", "0000-00-00T00:00:00", "2021-07-04T18:30:15junk"])
    func impossibleDates(text: String) {
        #expect(XMPDate(text) == nil)
    }
}

/// The containers' XMP packets, found by ImageProbe.
struct XMPContainerTests {
    static let packet = Fixtures.xmpPacket(Fixtures.XMPFields(title: "t", keywords: ["k"], rating: 3))

    @Test func jpeg() {
        let bytes = Fixtures.jpeg(Fixtures.jpeg(width: 32, height: 24), xmp: Self.packet)
        let info = ImageInspector.inspect(bytes, chunkSize: 7)
        #expect(info?.xmp == Self.packet)
        #expect(info?.damage == nil)
    }

    @Test func jpegWithExifAndXMP() {
        var exif = FixtureExif()
        exif.make = "Canon"
        let bytes = Fixtures.jpeg(Fixtures.jpeg(width: 32, height: 24, exif: exif), xmp: Self.packet)
        let info = ImageInspector.inspect(bytes)
        #expect(info?.xmp == Self.packet)
        #expect(info?.exif != nil)
    }

    @Test func png() {
        let bytes = Fixtures.png(Fixtures.png(width: 16, height: 16), xmp: Self.packet)
        let info = ImageInspector.inspect(bytes, chunkSize: 5)
        #expect(info?.xmp == Self.packet)
        #expect(info?.damage == nil)
    }

    @Test func compressedPNGiTXt() {
        let bytes = Fixtures.png(Fixtures.png(width: 16, height: 16), xmp: Self.packet, compressed: true)
        let info = ImageInspector.inspect(bytes, chunkSize: 3)
        #expect(info?.xmp == Self.packet)
        #expect(info?.warnings.isEmpty == true)
        #expect(ExpatXMPDecoder().decode(xmp: info?.xmp ?? []).summary.title == "t")
    }

    @Test func uncompressedTextFlaggedCompressedIsAWarning() {
        let base = Fixtures.png(Fixtures.png(width: 16, height: 16), xmp: Self.packet)
        // Set the iTXt compression flag (after "XML:com.adobe.xmp\0"): the packet is no zlib stream.
        var bytes = base
        let at = 33 + 8 + 18
        bytes[at] = 1
        let info = ImageInspector.inspect(bytes)
        #expect(info?.xmp == nil)
        #expect(info?.warnings.contains { $0.hasPrefix("xmp iTXt chunk has corrupt compressed data (zlib: ") } == true)
    }

    @Test func webp() {
        let bytes = Fixtures.webp(Fixtures.webp(width: 20, height: 10), width: 20, height: 10, xmp: Self.packet + [0x20])
        let info = ImageInspector.inspect(bytes)
        #expect(info?.xmp == Self.packet + [0x20])
        #expect(info?.width == 20)
        #expect(info?.damage == nil)
    }
}
