internal import CExpatLoader
import ImgrepoCore

/// Decodes XMP packets with libexpat into imgrepo's `XMPData` (the core's `XMPDecoding`).
///
/// Each call owns its own parser (`ExpatParser`), so one value may be shared between threads.
/// Hostile packets cannot expand: a DOCTYPE (the only way to declare entities) stops the parse
/// at once, and expat's own billion-laughs protection is on besides. Nesting, element count
/// and value sizes are bounded; a packet that breaks a bound or is not well-formed XML yields
/// a warning and no fields.
public struct ExpatXMPDecoder: XMPDecoding, Sendable {
    /// The most keywords kept; the rest are ignored with a warning.
    public static let maximumKeywords = 1_000
    /// The deepest element nesting accepted. Real packets nest about 8 deep.
    public static let maximumDepth = 256
    /// The most elements one packet may hold.
    public static let maximumElements = 100_000
    /// The longest value kept, in UTF-8 bytes; longer values are cut with a warning.
    public static let maximumValueBytes = 64 * 1024

    public init() {}

    public func decode(xmp packet: [UInt8]) -> XMPData {
        // Writers pad packets in place with spaces (allowed) or NULs (not XML): drop the NULs.
        var end = packet.count
        while end > 0, packet[end - 1] == 0 { end -= 1 }
        guard end > 0 else { return XMPData(warnings: ["empty xmp packet"]) }
        guard end <= Int(Int32.max) else { return XMPData(warnings: ["xmp packet too large: \(end) bytes"]) }
        guard let expat = Expat.library.functions else {
            return XMPData(warnings: [Expat.library.problem ?? "libexpat cannot be loaded"])
        }
        guard let parser = ExpatParser(expat) else { return XMPData(warnings: ["libexpat could not create a parser"]) }
        let collector = RDFCollector()
        if let failure = parser.parse(packet[..<end], into: collector) {
            return XMPData(warnings: [failure])
        }
        return collector.summary()
    }
}

/// One libexpat parser with namespace processing, freed in `deinit`.
final class ExpatParser {
    /// Expanded names arrive as "namespace-URI local-name": a space is in neither.
    static let separator: XML_Char = 0x20
    private let expat: imgrepo_expat
    private let handle: XML_Parser

    init?(_ expat: imgrepo_expat) {
        guard let handle = expat.XML_ParserCreateNS(nil, Self.separator) else { return nil }
        self.expat = expat
        self.handle = handle
    }

    deinit { expat.XML_ParserFree(handle) }

    /// Parses `bytes` as one complete document, feeding `collector`. Returns why it failed,
    /// or nil on success.
    func parse(_ bytes: ArraySlice<UInt8>, into collector: RDFCollector) -> String? {
        collector.parser = handle
        defer { collector.parser = nil }
        let context = Unmanaged.passUnretained(collector)
        expat.XML_SetUserData(handle, context.toOpaque())
        // Entities: refuse any DOCTYPE (XMP never has one), never read external ones, and keep
        // expat's amplification limit as a second line.
        _ = expat.XML_SetParamEntityParsing(handle, XML_PARAM_ENTITY_PARSING_NEVER)
        _ = expat.XML_SetBillionLaughsAttackProtectionMaximumAmplification(handle, 10)
        expat.XML_SetStartDoctypeDeclHandler(handle) { data, _, _, _, _ in
            RDFCollector.from(data).stop("xmp packet declares a DOCTYPE, which is refused (no entity expansion)")
        }
        expat.XML_SetEntityDeclHandler(handle) { data, _, _, _, _, _, _, _, _ in
            RDFCollector.from(data).stop("xmp packet declares an entity, which is refused")
        }
        expat.XML_SetElementHandler(handle, { data, name, attributes in
            RDFCollector.from(data).start(name: name, attributes: attributes)
        }, { data, name in
            RDFCollector.from(data).end()
        })
        expat.XML_SetCharacterDataHandler(handle) { data, text, length in
            guard let text, length > 0 else { return }
            RDFCollector.from(data).characters(UnsafeRawBufferPointer(start: text, count: Int(length)))
        }
        let status = bytes.withUnsafeBytes { raw in
            expat.XML_Parse(handle, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), 1)
        }
        if let failure = collector.failure { return failure }
        guard status == XML_STATUS_OK else {
            let code = expat.XML_GetErrorCode(handle)
            let message = expat.XML_ErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            return "xmp packet is not well-formed xml: \(message) at line \(expat.XML_GetCurrentLineNumber(handle)), column \(expat.XML_GetCurrentColumnNumber(handle))"
        }
        return nil
    }
}
