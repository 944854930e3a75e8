internal import CExpatLoader
import ImgrepoCore

/// Collects the properties of an XMP packet's `rdf:Description` elements as expat reports
/// them, in both RDF forms: attributes of `rdf:Description` (`xmp:Rating="4"`) and child
/// elements, simple (`<xmp:Rating>4</xmp:Rating>`) or arrays (`rdf:Bag`/`Seq`/`Alt` of
/// `rdf:li`, with `xml:lang` on alternatives). Structures nested inside a property are skipped.
final class RDFCollector {
    struct Value {
        var text: String
        var language: String?
    }

    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let xml = "http://www.w3.org/XML/1998/namespace"
    static let dc = "http://purl.org/dc/elements/1.1/"
    static let xmp = "http://ns.adobe.com/xap/1.0/"
    static let photoshop = "http://ns.adobe.com/photoshop/1.0/"
    static let exif = "http://ns.adobe.com/exif/1.0/"
    static let tiff = "http://ns.adobe.com/tiff/1.0/"

    /// Set while a parse runs, so handlers can stop it.
    var parser: XML_Parser?
    /// Why the parse was stopped by a handler.
    private(set) var failure: String?
    /// Property values by expanded name ("URI local"), in document order.
    private(set) var properties: [String: [Value]] = [:]
    /// The expanded names in the order they first appeared.
    private var order: [String] = []
    private var warnings: [String] = []

    private var depth = 0
    private var elements = 0
    /// Depths of the open `rdf:Description` elements that hold properties.
    private var descriptions: [Int] = []
    /// The open property element: its name, depth, and whether it has child elements.
    private var property: (name: String, depth: Int, hasChildren: Bool, text: [UInt8])?
    /// The open `rdf:li` inside the property.
    private var item: (depth: Int, language: String?, text: [UInt8])?
    private var truncatedValue = false

    static func from(_ data: UnsafeMutableRawPointer?) -> RDFCollector {
        Unmanaged<RDFCollector>.fromOpaque(data!).takeUnretainedValue()
    }

    func stop(_ reason: String) {
        if failure == nil { failure = reason }
        if let parser, let expat = Expat.library.functions { _ = expat.XML_StopParser(parser, XML_FALSE) }
    }

    func start(name: UnsafePointer<XML_Char>?, attributes: UnsafeMutablePointer<UnsafePointer<XML_Char>?>?) {
        guard failure == nil, let name else { return }
        depth += 1
        elements += 1
        if depth > ExpatXMPDecoder.maximumDepth {
            stop("xmp packet nests deeper than \(ExpatXMPDecoder.maximumDepth) elements")
            return
        }
        if elements > ExpatXMPDecoder.maximumElements {
            stop("xmp packet has more than \(ExpatXMPDecoder.maximumElements) elements")
            return
        }
        let element = String(cString: name)
        let attributes = Self.pairs(attributes)
        if var open = property {
            open.hasChildren = true
            property = open
            if item == nil, element == Self.rdf + " li" {
                item = (depth, attributes.first(where: { $0.0 == Self.xml + " lang" })?.1, [])
            }
            return
        }
        if element == Self.rdf + " Description" {
            descriptions.append(depth)
            for (key, value) in attributes where !key.hasPrefix(Self.rdf + " ") && !key.hasPrefix(Self.xml + " ") {
                record(key, Value(text: value, language: nil))
            }
            return
        }
        if let top = descriptions.last, depth == top + 1 {
            property = (element, depth, false, [])
        }
    }

    func end() {
        guard failure == nil else { return }
        defer { depth -= 1 }
        if let open = item, open.depth == depth {
            if let name = property?.name {
                record(name, Value(text: String(decoding: open.text, as: UTF8.self), language: open.language))
            }
            item = nil
            return
        }
        if let open = property, open.depth == depth {
            if !open.hasChildren { record(open.name, Value(text: String(decoding: open.text, as: UTF8.self), language: nil)) }
            property = nil
            return
        }
        if descriptions.last == depth { descriptions.removeLast() }
    }

    func characters(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        if item != nil {
            append(bytes, to: &item!.text)
        } else if property != nil, property!.hasChildren == false {
            append(bytes, to: &property!.text)
        }
    }

    private func append(_ bytes: UnsafeRawBufferPointer, to text: inout [UInt8]) {
        let room = ExpatXMPDecoder.maximumValueBytes - text.count
        if bytes.count > room {
            truncatedValue = true
            // Cut on a character boundary: drop continuation bytes at the cut.
            var cut = max(0, room)
            while cut > 0, cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            text.append(contentsOf: bytes.prefix(cut))
        } else {
            text.append(contentsOf: bytes)
        }
    }

    private func record(_ name: String, _ value: Value) {
        if properties[name] == nil { order.append(name) }
        properties[name, default: []].append(value)
    }

    /// exiftool's group names for the namespaces cameras and editors write; any other namespace
    /// is grouped under its URI.
    static let groupNames: [String: String] = [
        dc: "XMP-dc", xmp: "XMP-xmp", photoshop: "XMP-photoshop", exif: "XMP-exif", tiff: "XMP-tiff",
        "http://ns.adobe.com/exif/1.0/aux/": "XMP-aux", "http://ns.adobe.com/xap/1.0/rights/": "XMP-xmpRights",
        "http://ns.adobe.com/xap/1.0/mm/": "XMP-xmpMM", "http://ns.adobe.com/lightroom/1.0/": "XMP-lr",
        "http://ns.adobe.com/camera-raw-settings/1.0/": "XMP-crs", "http://cipa.jp/exif/1.0/": "XMP-exifEX",
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "XMP-iptcCore", "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "XMP-iptcExt",
        "http://www.metadataworkinggroup.com/schemas/regions/": "XMP-mwg-rs", "http://ns.google.com/photos/1.0/panorama/": "XMP-GPano",
        "http://ns.adobe.com/xmp/1.0/DynamicMedia/": "XMP-xmpDM", "http://ns.adobe.com/pdf/1.3/": "XMP-pdf",
    ]

    /// Every value collected, as tags (`XMPData.tags`), and whether some were left out.
    func tags() -> (tags: [ExifTag], truncated: Bool) {
        var tags: [ExifTag] = []
        for expanded in order {
            guard let space = expanded.lastIndex(of: " ") else { continue }
            let uri = String(expanded[..<space]), local = String(expanded[expanded.index(after: space)...])
            let group = Self.groupNames[uri] ?? "XMP-" + uri
            for value in properties[expanded] ?? [] {
                let text = Self.trimmed(value.text)
                guard !text.isEmpty else { continue }
                if tags.count == XMPData.maximumTags { return (tags, true) }
                let name = value.language.map { $0 == "x-default" ? local : "\(local)-\($0)" } ?? local
                let number = Double(text).flatMap { $0.isFinite && text.allSatisfy({ "0123456789.-+".contains($0) }) ? $0 : nil }
                tags.append(ExifTag(ifd: group, name: name, tagID: 0, text: text, number: number))
            }
        }
        return (tags, false)
    }

    /// expat's NULL-terminated name/value array as pairs.
    private static func pairs(_ attributes: UnsafeMutablePointer<UnsafePointer<XML_Char>?>?) -> [(String, String)] {
        guard let attributes else { return [] }
        var result: [(String, String)] = []
        var i = 0
        while let key = attributes[i], let value = attributes[i + 1] {
            result.append((String(cString: key), String(cString: value)))
            i += 2
        }
        return result
    }

    // MARK: The fields

    /// The summary of what was collected, with warnings for values out of range.
    func summary() -> XMPData {
        var summary = XMPSummary()
        var warnings = self.warnings
        if truncatedValue { warnings.append("an xmp value longer than \(ExpatXMPDecoder.maximumValueBytes) bytes was cut") }
        summary.title = alternative(Self.dc + " title")
        summary.description = alternative(Self.dc + " description")
        var keywords: [String] = []
        for value in values(Self.dc + " subject") where !keywords.contains(value) {
            if keywords.count == ExpatXMPDecoder.maximumKeywords {
                warnings.append("more than \(ExpatXMPDecoder.maximumKeywords) xmp keywords; the rest were ignored")
                break
            }
            keywords.append(value)
        }
        summary.keywords = keywords
        let creators = values(Self.dc + " creator")
        summary.creator = creators.isEmpty ? nil : creators.joined(separator: "; ")
        if let text = values(Self.xmp + " Rating").first {
            if let number = Double(text), number.rounded() == number, (-1...5).contains(number) {
                summary.rating = Int(number)
            } else {
                warnings.append("xmp:Rating '\(text)' is not a whole number from -1 to 5; ignored")
            }
        }
        for (name, tag) in [(Self.exif + " DateTimeOriginal", "XMP:DateTimeOriginal"),
                            (Self.photoshop + " DateCreated", "XMP:DateCreated"), (Self.xmp + " CreateDate", "XMP:CreateDate")] {
            guard let text = values(name).first, let date = XMPDate(text) else { continue }
            summary.takenLocal = date.local
            summary.takenOffset = date.offset
            summary.takenTag = tag
            break
        }
        if let text = values(Self.tiff + " Orientation").first, let value = Int(text), (1...8).contains(value) {
            summary.orientation = value
        }
        let (tags, truncated) = self.tags()
        if truncated { warnings.append("more than \(XMPData.maximumTags) xmp values; the rest are not kept as tags") }
        return XMPData(summary: summary, warnings: warnings, tags: tags)
    }

    /// The non-empty values of a property, trimmed, in order.
    private func values(_ name: String) -> [String] {
        (properties[name] ?? []).compactMap { value in
            let text = Self.trimmed(value.text)
            return text.isEmpty ? nil : text
        }
    }

    /// A language alternative's `x-default` value, else its first.
    private func alternative(_ name: String) -> String? {
        let all = (properties[name] ?? []).filter { !Self.trimmed($0.text).isEmpty }
        let chosen = all.first(where: { $0.language?.lowercased() == "x-default" }) ?? all.first
        return chosen.map { Self.trimmed($0.text) }
    }

    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
