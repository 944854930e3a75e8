import Foundation
import ImgrepoFixtures
import Testing

/// XMP end to end through the built binary, on every catalogue driver: upload JPEG, PNG and WebP
/// files carrying packets → `list --keyword/--rating` → `details --json`; the packet's fields
/// agree with exiftool's reading of the same files; a hostile packet is a warning and the image
/// is stored.
@Suite struct XMPTests {
    static let beach = Fixtures.XMPFields(title: "Beach at dusk", description: "Low tide, Étretat", keywords: ["Holiday", "beach", "Normandy"],
                                          rating: 5, creators: ["Alice Martin"], createDate: "2021-08-14T19:02:11+02:00")
    static let city = Fixtures.XMPFields(title: "Rue Montorgueil", keywords: ["city", "Paris"], rating: 3, creators: ["Bob", "Chloé"])

    @Test(arguments: CatalogueDriver.all) func uploadFindAndShow(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let jpeg = try box.file("beach.jpg", Fixtures.jpeg(Fixtures.jpeg(width: 64, height: 48, seed: 1),
                                                           xmp: Fixtures.xmpPacket(Self.beach)))
        let png = try box.file("city.png", Fixtures.png(Fixtures.png(width: 40, height: 30, seed: 2),
                                                        xmp: Fixtures.xmpPacket(Self.city, attributes: true)))
        let webp = try box.file("plain.webp", Fixtures.webp(Fixtures.webp(width: 32, height: 16, seed: 3), width: 32, height: 16,
                                                             xmp: Fixtures.xmpPacket(Fixtures.XMPFields(keywords: ["beach"], rating: 1))))
        let upload = try box.run(["upload", jpeg, png, webp])
        #expect(upload.status == 0, "\(upload.stderr)")

        func names(_ arguments: [String]) throws -> [String] {
            let r = try box.run(["list", "--format", "tsv", "--no-headers", "--fields", "name", "--sort", "name"] + arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            return r.lines
        }
        #expect(try names(["--keyword", "BEACH"]) == ["beach.jpg", "plain.webp"], "case-insensitive")
        #expect(try names(["--keyword", "holi*", "--keyword", "paris"]) == ["beach.jpg", "city.png"], "OR within the option")
        #expect(try names(["--keyword", "beach", "--rating", "4.."]) == ["beach.jpg"], "AND with other filters")
        #expect(try names(["--rating", "..3"]) == ["city.png", "plain.webp"])
        #expect(try names(["--where", "creator ~ '*chlo*' or title = 'Beach at dusk'"]) == ["beach.jpg", "city.png"])

        let details = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])
        #expect(details["title"] as? String == "Beach at dusk")
        #expect(details["description"] as? String == "Low tide, Étretat")
        #expect(details["keywords"] as? [String] == ["Holiday", "beach", "Normandy"])
        #expect(details["rating"] as? Int == 5)
        #expect(details["creator"] as? String == "Alice Martin")
        // details lists the packet's properties too, grouped by namespace as exiftool groups them.
        let tags = try #require(details["exif_tags"] as? [[String: Any]])
        let subjects = tags.filter { $0["ifd"] as? String == "XMP-dc" && $0["name"] as? String == "subject" }.map { $0["value"] as? String }
        #expect(subjects == ["Holiday", "beach", "Normandy"])
        #expect(tags.contains { $0["ifd"] as? String == "XMP-xmp" && $0["name"] as? String == "Rating" && $0["number"] as? Int == 5 })
        // No EXIF in the file: the capture time comes from XMP, and says so.
        #expect(details["taken_source"] as? String == "xmp")
        #expect((details["taken_at"] as? String)?.hasPrefix("2021-08-14T19:02:11") == true, "\(details["taken_at"] ?? "nil")")

        // exiftool reads the same packets the same way.
        let tool = try shell(["exiftool", "-json", "-n", "-XMP:all", jpeg, png])
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(tool.out.utf8)) as? [[String: Any]])
        let listed = try #require(try box.json(try box.run(["list", "--json", "--sort", "name"])) as? [[String: Any]])
        for (ours, theirs) in zip(listed.prefix(2), reference) {
            #expect(ours["title"] as? String == theirs["Title"] as? String)
            #expect(ours["rating"] as? Int == theirs["Rating"] as? Int)
            let subject = (theirs["Subject"] as? [String]) ?? (theirs["Subject"] as? String).map { [$0] } ?? []
            #expect(ours["keywords"] as? [String] == subject, "\(ours["name"] ?? "")")
        }
    }

    @Test func hostilePacketIsAWarningAndTheImageIsStored() throws {
        let box = try Sandbox()
        let laughs = Array("""
        <?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
        <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&d;</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>
        """.utf8)
        let file = try box.file("laughs.jpg", Fixtures.jpeg(Fixtures.jpeg(width: 16, height: 16, seed: 4), xmp: laughs))
        let r = try box.run(["upload", "--json", file])
        #expect(r.status == 0, "\(r.stderr)")
        let event = try #require(try JSONSerialization.jsonObject(with: Data((r.lines.first ?? "").utf8)) as? [String: Any])
        #expect(event["status"] as? String == "stored")
        #expect((event["warnings"] as? [String])?.contains { $0.hasPrefix("xmp: ") } == true, "\(event)")
        let details = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])
        #expect(details["title"] is NSNull || details["title"] == nil, "nothing of the refused packet is kept")
    }
}
