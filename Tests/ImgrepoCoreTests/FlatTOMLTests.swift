import Foundation
import Testing
@testable import ImgrepoCore

/// FlatTOML against a conforming TOML parser: Python's `tomllib` (3.11+). Every document either
/// parses to the same values in both, or is refused by both, or is valid TOML that FlatTOML
/// refuses with a "not used in imgrepo's settings" reason (tables, arrays, floats, ...).
@Suite struct FlatTOMLTests {
    /// Valid documents inside the flat subset: both parsers must agree on every value.
    static let accepted: [String] = [
        "",
        "# only a comment\n\n   \n",
        "repo = \"/srv/photos\"\nowner = 'alice'\n",
        "database = \"sqlite:catalog.sqlite\" # trailing comment\r\n",
        "\"quoted key\" = 1\n'literal key' = -2\nbare-key_9 = +3\n",
        "s = \"tab\\tquote\\\"back\\\\slash\\nnew\\u00e9\\U0001F600\\b\\f\\r\"\n",
        "s = 'C:\\Users\\no\\escapes'\n",
        "s = \"\"\n",
        "s = \"# not a comment\"\n",
        "i = 1_000_000\nh = 0xDEAD_beef\no = 0o755\nb = 0b1010\nz = -0\np = +0\n",
        "big = 9223372036854775807\nsmall = -9223372036854775808\n",
        "t = true\nf = false\n",
        "\tindented = 'x'\t\n",
        "unicode = \"Zoë 写真\"\n",
        "key=\"no spaces\"\n",
    ]

    /// Invalid TOML: both must refuse.
    static let invalid: [String] = [
        "repo = [unterminated\n",
        "repo = \"unterminated\n",
        "repo = 'unterminated\n",
        "repo\n",
        "= 1\n",
        "a = 1\na = 2\n",
        "i = 01\n",
        "i = 1__0\n",
        "i = _1\n",
        "i = 1_\n",
        "i = -0x1\n",
        "i = 0o8\n",
        "s = \"bad \\q escape\"\n",
        "s = \"\\uD800\"\n",
        "s = \"a\" trailing\n",
        "t = True\n",
        "word = hello\n",
        "a = 1 b = 2\n",
        "s = \"control \u{01} char\"\n",
        "# comment with \u{01} control\n",
    ]

    /// Valid TOML outside the subset: FlatTOML refuses with a reason, tomllib accepts.
    static let outsideSubset: [String] = [
        "[table]\nkey = 1\n",
        "a.b = 1\n",
        "list = [1, 2]\n",
        "inline = { a = 1 }\n",
        "f = 1.5\n",
        "d = 2024-01-01\n",
        "m = \"\"\"\nmulti\"\"\"\n",
        "m = '''raw'''\n",
    ]

    @Test("agrees with tomllib on valid flat documents", arguments: accepted)
    func agreesOnValid(document: String) throws {
        let ours = try FlatTOML.parse(document)
        let reference = try #require(try Self.tomllib(document) as? [String: Any], "tomllib refused \(document.debugDescription)")
        #expect(ours.count == reference.count)
        for (key, value) in ours {
            switch value {
            case .string(let s): #expect(reference[key] as? String == s, "\(key)")
            case .integer(let i): #expect((reference[key] as? NSNumber)?.int64Value == Int64(i), "\(key)")
            case .boolean(let b): #expect((reference[key] as? NSNumber)?.boolValue == b, "\(key)")
            }
        }
    }

    @Test("refuses what tomllib refuses, with a line number", arguments: invalid)
    func refusesInvalid(document: String) throws {
        #expect(try Self.tomllib(document) == nil, "tomllib accepted \(document.debugDescription)")
        let error = #expect(throws: FlatTOML.SyntaxError.self) { try FlatTOML.parse(document) }
        #expect(error?.line ?? 0 >= 1)
    }

    @Test("refuses valid TOML it does not need, saying so", arguments: outsideSubset)
    func refusesOutsideSubset(document: String) throws {
        #expect(try Self.tomllib(document) != nil, "tomllib refused \(document.debugDescription)")
        let error = #expect(throws: FlatTOML.SyntaxError.self) { try FlatTOML.parse(document) }
        #expect(error?.reason.contains("not used in imgrepo's settings") == true
                || error?.reason.contains("is not a string, integer or boolean") == true, "\(error?.reason ?? "")")
    }

    /// TOML 1.0: "If an integer cannot be represented losslessly, an error must be thrown."
    /// (tomllib accepts any size, so this one is checked against the specification alone.)
    @Test func refusesIntegersBeyond64Bits() {
        #expect(throws: FlatTOML.SyntaxError.self) { try FlatTOML.parse("i = 9223372036854775808\n") }
        #expect(throws: FlatTOML.SyntaxError.self) { try FlatTOML.parse("i = -9223372036854775809\n") }
        #expect(throws: FlatTOML.SyntaxError.self) { try FlatTOML.parse("i = 0x1_0000_0000_0000_0000\n") }
    }

    @Test func errorNamesTheLine() throws {
        let error = #expect(throws: FlatTOML.SyntaxError.self) { try FlatTOML.parse("repo = 'x'\n\nowner = \n") }
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("line 3: ") == true)
    }

    /// The document parsed by Python's tomllib, as JSON objects; nil when tomllib refuses it.
    static func tomllib(_ document: String) throws -> Any? {
        let script = """
        import json, sys, tomllib
        try:
            print(json.dumps(tomllib.loads(sys.stdin.buffer.read().decode('utf-8')), default=str))
        except tomllib.TOMLDecodeError:
            print('null')
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(document.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        let json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return json is NSNull ? nil : json
    }
}
