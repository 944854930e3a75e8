import ImgrepoCore
import ImgrepoFixtures
@testable import ImgrepoXMP
import Testing

/// Every XMP property as a tag for `details`, grouped by namespace as exiftool groups them.
struct XMPTagTests {
    let decoder = ExpatXMPDecoder()

    @Test func propertiesBecomeTagsInDocumentOrderGroupedByNamespace() {
        let packet = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
                xmlns:my="http://example.org/ns/" xmp:Rating="4" my:Colour="teal">
              <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Harbour</rdf:li><rdf:li xml:lang="fr">Port</rdf:li></rdf:Alt></dc:title>
              <dc:subject><rdf:Bag><rdf:li>sea</rdf:li><rdf:li> </rdf:li><rdf:li>boats</rdf:li></rdf:Bag></dc:subject>
              <xmp:CreatorTool>Darktable 4.6</xmp:CreatorTool>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """
        let tags = decoder.decode(xmp: Array(packet.utf8)).tags
        #expect(tags.map { "\($0.ifd) \($0.name)=\($0.text)" } == [
            "XMP-xmp Rating=4", "XMP-http://example.org/ns/ Colour=teal",
            "XMP-dc title=Harbour", "XMP-dc title-fr=Port", "XMP-dc subject=sea", "XMP-dc subject=boats",
            "XMP-xmp CreatorTool=Darktable 4.6",
        ])
        #expect(tags.first?.number == 4)
        #expect(tags.allSatisfy { $0.tagID == 0 })
        #expect(tags.last?.number == nil, "text that merely starts with digits is not a number")
    }

    @Test func theNumberOfTagsIsBounded() {
        let items = (0..<(XMPData.maximumTags + 5)).map { "<rdf:li>k\($0)</rdf:li>" }.joined()
        let packet = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>\(items)</rdf:Bag></dc:subject>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """
        let data = decoder.decode(xmp: Array(packet.utf8))
        #expect(data.tags.count == XMPData.maximumTags)
        #expect(data.warnings.contains { $0.contains("not kept as tags") }, "\(data.warnings)")
    }

    @Test func aBrokenPacketHasNoTags() {
        #expect(decoder.decode(xmp: Array("<x:xmpmeta><unclosed".utf8)).tags.isEmpty)
    }
}
