import Foundation
import ImgrepoCore
import Testing
@testable import ImgrepoOutput

/// Parses JSON text with Foundation (tests only; the library does not import it).
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

@Suite struct JSONValueTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() {
        #expect(JSONValue.string("a\"b\\c").text == #""a\"b\\c""#)
        #expect(JSONValue.string("l1\nl2\r\t").text == #""l1\nl2\r\t""#)
        #expect(JSONValue.string("\u{0}\u{1}\u{1F}\u{7F}").text == #""\u0000\u0001\u001f\u007f""#)
        #expect(JSONValue.string("a\u{2028}b\u{2029}c").text == #""a\u2028b\u2029c""#)
        #expect(JSONValue.string("é漢字😀\u{E2}").text == "\"é漢字😀\u{E2}\"")
    }

    @Test func everyEscapedStringParsesBackToItself() throws {
        var all = ""
        for v in 0..<0x80 { all.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        all += "\u{2028}\u{2029}\u{85}é漢字😀/"
        for s in [all, "", "\"", "\\", "\u{0}"] {
            let back = try parseJSON(JSONValue.string(s).text) as? String
            #expect(back == s)
        }
    }

    @Test func numbersAreNumbers() {
        #expect(JSONValue.double(28.0).text == "28")
        #expect(JSONValue.double(2.8).text == "2.8")
        #expect(JSONValue.double(0.004).text == "0.004")
        #expect(JSONValue.double(-35.25).text == "-35.25")
        #expect(JSONValue.double(.nan).text == "null")
        #expect(JSONValue.double(.infinity).text == "null")
        #expect(JSONValue.int(Int64.min).text == "-9223372036854775808")
        #expect(JSONValue.double(nil as Double?).text == "null")
        #expect(JSONValue.string(nil as String?).text == "null")
    }

    @Test func objectsKeepTheirKeyOrder() {
        let v = JSONValue.object([("z", .int(1)), ("a", .array([.bool(true), .null])), ("m", .object([]))])
        #expect(v.text == #"{"z":1,"a":[true,null],"m":{}}"#)
    }

    @Test func recordHelpersMatchTheContract() {
        let name = KnownName(name: "a.jpg", path: nil, owner: "ada", addedAt: Timestamp(microseconds: 0))
        #expect(name.json.text == #"{"name":"a.jpg","path":null,"owner":"ada","added_at":"1970-01-01T00:00:00.000000Z"}"#)
        let tag = ExifTag(ifd: "IFD0", name: "Make", tagID: 0x10F, text: "Canon", number: nil)
        #expect(tag.json.text == #"{"ifd":"IFD0","name":"Make","tag_id":271,"value":"Canon","number":null}"#)
        #expect(Fixtures.full.json.text == JSONValue.object(Fixtures.full.jsonFields).text)
    }
}
