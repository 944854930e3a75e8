/// A reader for the part of TOML 1.0 that imgrepo's two settings files use: top-level
/// `key = value` pairs whose values are strings, integers or booleans, with comments and blank
/// lines.
///
/// Why not TOMLKit: it imports Foundation, which links ICU's 34 MB of data into the binary and
/// costs every command about 2–3 ms of start-up (docs/benchmarks.md, "Start-up"), more than a
/// whole indexed `list` query takes. Everything imgrepo reads from these files is a top-level
/// scalar, so this reader accepts exactly that part of the language, implements it to the
/// specification (escapes, literal strings, underscores and bases in integers, duplicate keys),
/// and refuses everything else with the line number and a reason, never by guessing.
///
/// Contract: for any document it accepts, the result equals what a conforming TOML parser
/// gives; a document it refuses is either invalid TOML or uses a construct (table, array,
/// float, date, multi-line string) that no imgrepo setting takes.
public enum FlatTOML {
    /// One value.
    public enum Value: Equatable, Sendable {
        case string(String)
        case integer(Int)
        case boolean(Bool)

        public var string: String? { if case .string(let s) = self { s } else { nil } }
        public var integer: Int? { if case .integer(let i) = self { i } else { nil } }

        /// What a wrong-type message calls it.
        public var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .boolean: "a boolean"
            }
        }
    }

    /// Why a document was refused, and on which line (1-based).
    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// The document's keys and values, in file order.
    /// - Throws: `SyntaxError` for invalid TOML or a construct outside the flat subset.
    public static func parse(_ text: String) throws -> [(key: String, value: Value)] {
        var entries: [(key: String, value: Value)] = []
        var seen: Set<String> = []
        var lineNumber = 0
        // Split by scalar, not by Character: "\r\n" is one Character in Swift.
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine[...]
            if line.last == "\r" { line = line.dropLast() }
            var cursor = Cursor(line: line, number: lineNumber)
            cursor.skipWhitespace()
            if cursor.atEndOrComment { try cursor.expectEndOfLine(); continue }
            if cursor.peek == "[" {
                throw cursor.error("tables are not used in imgrepo's settings; write top-level `key = value` lines")
            }
            let key = try cursor.key()
            cursor.skipWhitespace()
            guard cursor.consume("=") else { throw cursor.error("expected '=' after the key '\(key)'") }
            cursor.skipWhitespace()
            let value = try cursor.value()
            try cursor.expectEndOfLine()
            guard seen.insert(key).inserted else { throw cursor.error("the key '\(key)' is defined twice") }
            entries.append((key, value))
        }
        return entries
    }

    /// One line, read left to right by unicode scalar.
    struct Cursor {
        let scalars: [Unicode.Scalar]
        var index = 0
        let number: Int

        init(line: Substring.UnicodeScalarView, number: Int) {
            scalars = Array(line)
            self.number = number
        }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
        var atEndOrComment: Bool { peek == nil || peek == "#" }

        func error(_ reason: String) -> SyntaxError { SyntaxError(line: number, reason: reason) }

        mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
            guard peek == scalar else { return false }
            index += 1
            return true
        }

        mutating func skipWhitespace() {
            while let s = peek, s == " " || s == "\t" { index += 1 }
        }

        /// Only whitespace and a comment may follow a value; control characters other than tab
        /// are invalid anywhere, comments included.
        mutating func expectEndOfLine() throws {
            skipWhitespace()
            guard let s = peek else { return }
            guard s == "#" else { throw error("unexpected '\(s.escaped(asASCII: true))' after the value") }
            for c in scalars[index...] where Cursor.isControl(c) && c != "\t" {
                throw error("control character U+\(String(c.value, radix: 16, uppercase: true)) in a comment")
            }
            index = scalars.count
        }

        static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || s.value == 0x7F }

        static func isBareKey(_ s: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(s) || ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "-"
        }

        mutating func key() throws -> String {
            let key: String
            switch peek {
            case "\"": key = try basicString()
            case "'": key = try literalString()
            default:
                let start = index
                while let s = peek, Cursor.isBareKey(s) { index += 1 }
                guard index > start else {
                    throw error(peek.map { "a key cannot start with '\($0.escaped(asASCII: true))'" } ?? "expected a key")
                }
                key = String(String.UnicodeScalarView(scalars[start..<index]))
            }
            skipWhitespace()
            if peek == "." { throw error("dotted keys are not used in imgrepo's settings") }
            return key
        }

        mutating func value() throws -> Value {
            switch peek {
            case nil, "#": throw error("expected a value")
            case "\"":
                if scalars[index...].starts(with: ["\"", "\"", "\""] as [Unicode.Scalar]) {
                    throw error("multi-line strings are not used in imgrepo's settings")
                }
                return .string(try basicString())
            case "'":
                if scalars[index...].starts(with: ["'", "'", "'"] as [Unicode.Scalar]) {
                    throw error("multi-line strings are not used in imgrepo's settings")
                }
                return .string(try literalString())
            case "[": throw error("arrays are not used in imgrepo's settings")
            case "{": throw error("inline tables are not used in imgrepo's settings")
            default:
                let start = index
                while let s = peek, s != " ", s != "\t", s != "#" { index += 1 }
                let word = String(String.UnicodeScalarView(scalars[start..<index]))
                if word == "true" { return .boolean(true) }
                if word == "false" { return .boolean(false) }
                if let i = Cursor.integer(word) { return .integer(i) }
                if word.first == "\"" || word.first == "'" { throw error("unterminated string") }
                throw error("'\(word)' is not a string, integer or boolean (strings are written in double quotes)")
            }
        }

        /// A TOML integer: decimal with an optional sign and no leading zeros, or 0x/0o/0b
        /// without a sign; single underscores only between digits. Nil when `word` is not one
        /// or does not fit in 64 bits.
        static func integer(_ word: String) -> Int? {
            var body = Substring(word)
            var radix = 10
            var negative = false
            if body.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
            else if body.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
            else if body.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
            else if body.first == "+" || body.first == "-" { negative = body.first == "-"; body = body.dropFirst() }
            guard let first = body.first, let last = body.last, first != "_", last != "_", !body.contains("__") else { return nil }
            let digits = body.filter { $0 != "_" }
            if radix == 10 && digits.count > 1 && digits.first == "0" { return nil }
            guard digits.allSatisfy({ $0.isASCII && $0.isHexDigit }), let magnitude = UInt64(digits, radix: radix) else { return nil }
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
                return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
            }
            return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
        }

        mutating func literalString() throws -> String {
            index += 1 // the opening '
            var out = String.UnicodeScalarView()
            while let s = peek {
                index += 1
                if s == "'" { return String(out) }
                if Cursor.isControl(s) && s != "\t" { throw error("control character in a string") }
                out.append(s)
            }
            throw error("unterminated string")
        }

        mutating func basicString() throws -> String {
            index += 1 // the opening "
            var out = String.UnicodeScalarView()
            while let s = peek {
                index += 1
                switch s {
                case "\"": return String(out)
                case "\\":
                    guard let e = peek else { throw error("unterminated string") }
                    index += 1
                    switch e {
                    case "b": out.append("\u{08}")
                    case "t": out.append("\t")
                    case "n": out.append("\n")
                    case "f": out.append("\u{0C}")
                    case "r": out.append("\r")
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "u", "U":
                        let width = e == "u" ? 4 : 8
                        guard index + width <= scalars.count else { throw error("short \\\(e) escape") }
                        let hex = String(String.UnicodeScalarView(scalars[index..<index + width]))
                        guard hex.allSatisfy({ $0.isASCII && $0.isHexDigit }), let v = UInt32(hex, radix: 16),
                              let scalar = Unicode.Scalar(v) else { throw error("\\\(e)\(hex) is not a unicode scalar value") }
                        index += width
                        out.append(scalar)
                    default:
                        throw error("unknown escape '\\\(e.escaped(asASCII: true))' in a string")
                    }
                default:
                    if Cursor.isControl(s) && s != "\t" { throw error("control character in a string") }
                    out.append(s)
                }
            }
            throw error("unterminated string")
        }
    }
}
