/// A failure while reading a `--where` expression, at an offset in Unicode scalars; the parser
/// turns it into a `WhereSyntaxError` with a column.
struct WhereFailure: Error {
    var offset: Int
    var message: String
}

/// One token of a `--where` expression.
struct WhereToken: Equatable {
    enum Kind: Equatable {
        /// A field name or keyword: letters, digits and `_`, starting with a letter or `_`.
        case word(String)
        /// An unquoted literal starting with a digit or a signed digit: a number (`1600`,
        /// `-12.5`, `1/250`, `5M`) or a date (`2023-06-01T12:30+02:00`); read per field later.
        case bare(String)
        /// A quoted string, escapes resolved.
        case string(String)
        case symbol(WhereSymbol)
        case end
    }

    var kind: Kind
    /// Where the token starts and ends in the input, in Unicode scalars.
    var start: Int
    var end: Int
}

enum WhereSymbol: String, Equatable {
    case open = "(", close = ")", comma = ",", tilde = "~"
    case equal = "=", notEqual = "!=", lessGreater = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    var comparison: ComparisonOperator? {
        switch self {
        case .equal: .equal
        case .notEqual, .lessGreater: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        case .open, .close, .comma, .tilde: nil
        }
    }
}

/// Splits a `--where` expression into tokens. It works on Unicode scalars so that a quote
/// followed by a combining mark is still a quote.
enum WhereLexer {
    static func tokens(_ s: [Unicode.Scalar]) throws(WhereFailure) -> [WhereToken] {
        var tokens: [WhereToken] = []
        var i = 0
        func isDigit(_ c: Unicode.Scalar) -> Bool { c.isASCII && ("0"..."9").contains(c) }
        func isLetter(_ c: Unicode.Scalar) -> Bool { c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_") }
        func at(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }

        while i < s.count {
            let c = s[i]
            let start = i
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
                continue
            }
            func symbol(_ sym: WhereSymbol) {
                i += sym.rawValue.unicodeScalars.count
                tokens.append(WhereToken(kind: .symbol(sym), start: start, end: i))
            }
            switch c {
            case "(": symbol(.open)
            case ")": symbol(.close)
            case ",": symbol(.comma)
            case "~": symbol(.tilde)
            case "=":
                if at(i + 1) == "=" { throw WhereFailure(offset: i, message: "'==' is written '='") }
                symbol(.equal)
            case "!":
                guard at(i + 1) == "=" else { throw WhereFailure(offset: i, message: "unexpected character '!' (did you mean '!='?)") }
                symbol(.notEqual)
            case "<":
                symbol(at(i + 1) == "=" ? .lessOrEqual : at(i + 1) == ">" ? .lessGreater : .less)
            case ">":
                symbol(at(i + 1) == "=" ? .greaterOrEqual : .greater)
            case "\"", "'":
                tokens.append(try string(s, from: &i))
            default:
                if isLetter(c) {
                    while let n = at(i), isLetter(n) || isDigit(n) { i += 1 }
                    tokens.append(WhereToken(kind: .word(String(String.UnicodeScalarView(s[start..<i]))), start: start, end: i))
                } else if isDigit(c) || ((c == "-" || c == "+") && at(i + 1).map(isDigit) == true) {
                    i += 1
                    while let n = at(i), isLetter(n) || isDigit(n) || n == "." || n == ":" || n == "/" || n == "+" || n == "-" { i += 1 }
                    tokens.append(WhereToken(kind: .bare(String(String.UnicodeScalarView(s[start..<i]))), start: start, end: i))
                } else {
                    throw WhereFailure(offset: i, message: "unexpected character \(describe(c))")
                }
            }
        }
        tokens.append(WhereToken(kind: .end, start: s.count, end: s.count))
        return tokens
    }

    /// A quoted string starting at `i`; `\"`, `\'` and `\\` are its only escapes.
    static func string(_ s: [Unicode.Scalar], from i: inout Int) throws(WhereFailure) -> WhereToken {
        let start = i
        let quote = s[i]
        var text = String.UnicodeScalarView()
        i += 1
        while true {
            guard i < s.count else {
                throw WhereFailure(offset: start, message: "unterminated string: no closing \(quote) for the one here")
            }
            let c = s[i]
            if c == quote {
                i += 1
                return WhereToken(kind: .string(String(text)), start: start, end: i)
            }
            if c == "\\" {
                guard i + 1 < s.count else {
                    throw WhereFailure(offset: start, message: "unterminated string: no closing \(quote) for the one here")
                }
                let escaped = s[i + 1]
                guard escaped == "\"" || escaped == "'" || escaped == "\\" else {
                    throw WhereFailure(offset: i, message: "unknown escape '\\\(escaped)' (only \\\", \\' and \\\\ are escapes)")
                }
                text.append(escaped)
                i += 2
                continue
            }
            text.append(c)
            i += 1
        }
    }

    /// `'&'` for printable ASCII, `U+0000` for anything else.
    static func describe(_ c: Unicode.Scalar) -> String {
        if c.value >= 0x21 && c.value < 0x7F { return "'\(c)'" }
        let hex = String(c.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
