/// Images carrying XMP packets the tests write themselves.
extension Fixtures {
    /// The XMP fields a fixture packet carries.
    public struct XMPFields: Sendable {
        public var title: String?
        public var description: String?
        public var keywords: [String] = []
        public var rating: Int?
        public var creators: [String] = []
        /// An XMP date, e.g. `2021-07-04T18:30:15+02:00`.
        public var createDate: String?
        public var orientation: Int?

        public init(title: String? = nil, description: String? = nil, keywords: [String] = [], rating: Int? = nil,
                    creators: [String] = [], createDate: String? = nil, orientation: Int? = nil) {
            self.title = title; self.description = description; self.keywords = keywords; self.rating = rating
            self.creators = creators; self.createDate = createDate; self.orientation = orientation
        }
    }

    /// An XMP packet in `<?xpacket?>` wrappers. `attributes` writes the simple properties
    /// (rating, date, orientation) as attributes of `rdf:Description`, as cameras do; else as
    /// elements, as Lightroom does for some. Arrays are always elements.
    public static func xmpPacket(_ fields: XMPFields, attributes: Bool = false) -> [UInt8] {
        func escaped(_ text: String) -> String {
            text.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;")
        }
        var simple: [(String, String)] = []
        if let rating = fields.rating { simple.append(("xmp:Rating", String(rating))) }
        if let date = fields.createDate { simple.append(("xmp:CreateDate", date)) }
        if let orientation = fields.orientation { simple.append(("tiff:Orientation", String(orientation))) }
        var text = """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about=""
                xmlns:dc="http://purl.org/dc/elements/1.1/"
                xmlns:xmp="http://ns.adobe.com/xap/1.0/"
                xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
            """
        if attributes {
            for (name, value) in simple { text += "\n    \(name)=\"\(escaped(value))\"" }
        }
        text += ">\n"
        if !attributes {
            for (name, value) in simple { text += "   <\(name)>\(escaped(value))</\(name)>\n" }
        }
        func alternative(_ name: String, _ value: String?) {
            guard let value else { return }
            text += "   <\(name)><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escaped(value))</rdf:li></rdf:Alt></\(name)>\n"
        }
        alternative("dc:title", fields.title)
        alternative("dc:description", fields.description)
        if !fields.keywords.isEmpty {
            text += "   <dc:subject><rdf:Bag>" + fields.keywords.map { "<rdf:li>\(escaped($0))</rdf:li>" }.joined() + "</rdf:Bag></dc:subject>\n"
        }
        if !fields.creators.isEmpty {
            text += "   <dc:creator><rdf:Seq>" + fields.creators.map { "<rdf:li>\(escaped($0))</rdf:li>" }.joined() + "</rdf:Seq></dc:creator>\n"
        }
        text += """
              </rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """
        return Array(text.utf8)
    }

    /// `jpeg` with `packet` in an APP1 segment right after SOI (at most 65,504 bytes of packet).
    public static func jpeg(_ jpeg: [UInt8], xmp packet: [UInt8]) -> [UInt8] {
        let payload = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + packet
        precondition(payload.count + 2 <= 0xFFFF, "an APP1 segment holds at most 65,533 bytes")
        let length = payload.count + 2
        return Array(jpeg[..<2]) + [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + Array(jpeg[2...])
    }

    /// `png` with `packet` in an iTXt chunk `XML:com.adobe.xmp` after IHDR, deflated when `compressed`.
    public static func png(_ png: [UInt8], xmp packet: [UInt8], compressed: Bool = false) -> [UInt8] {
        let chunk = pngChunk("iTXt", Array("XML:com.adobe.xmp".utf8) + [0, compressed ? 1 : 0, 0, 0, 0]
                                         + (compressed ? zlib(packet) : packet))
        return Array(png[..<33]) + chunk + Array(png[33...])
    }

    /// A simple (VP8) WebP turned extended: a VP8X chunk with the XMP flag, the image, then an
    /// `XMP ` chunk holding `packet`.
    public static func webp(_ webp: [UInt8], width: Int, height: Int, xmp packet: [UInt8]) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        func le24(_ v: Int) -> [UInt8] { Array(le32(v).prefix(3)) }
        let vp8x = Array("VP8X".utf8) + le32(10) + [0x04, 0, 0, 0] + le24(width - 1) + le24(height - 1)
        var xmp = Array("XMP ".utf8) + le32(packet.count) + packet
        if packet.count % 2 == 1 { xmp.append(0) }
        let body = Array("WEBP".utf8) + vp8x + Array(webp[12...]) + xmp
        return Array("RIFF".utf8) + le32(body.count) + body
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
