/// man(7) source, written a line at a time. Text is escaped so that nothing in it is taken for
/// a request or an escape: backslashes, hyphens (which become the minus that a shell needs),
/// a leading dot or quote, and characters beyond ASCII (named glyphs, or \[uXXXX]).
struct Roff {
    private(set) var output = ""

    mutating func line(_ text: String) {
        output += text + "\n"
    }

    /// A request (`.TP`, `.SH NAME`) with its arguments quoted where needed.
    mutating func request(_ name: String, _ arguments: String...) {
        let quoted = arguments.map { argument -> String in
            let escaped = Self.escape(argument).split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\(dq")
            return escaped.contains(" ") || escaped.isEmpty ? "\"" + escaped + "\"" : escaped
        }
        line((["." + name] + quoted).joined(separator: " "))
    }

    mutating func section(_ title: String) { request("SH", title) }

    /// Text to fill, one source line per sentence-ish chunk as written.
    mutating func text(_ text: String) {
        guard !text.isEmpty else { return }
        line(Self.guardLine(Self.escape(text)))
    }

    /// Lines shown as written, indented, in a constant-width font where the device has one.
    mutating func verbatim(_ lines: [String]) {
        request("RS", "4")
        request("nf")
        for text in lines {
            line(text.isEmpty ? ".sp" : Self.guardLine(Self.escape(text)))
        }
        request("fi")
        request("RE")
    }

    /// A text line must not start with a control character (`.` or `'`), nor with a space,
    /// which would break the line.
    static func guardLine(_ line: String) -> String {
        guard let first = line.first, first == "." || first == "'" || first == " " else { return line }
        return "\\&" + line
    }

    static let glyphs: [Character: String] = [
        "×": "\\(mu", "–": "\\(en", "—": "\\(em", "…": "...", "°": "\\(de", "’": "'", "‘": "`",
        "“": "\\(lq", "”": "\\(rq", "→": "\\(->", "≤": "\\(<=", "≥": "\\(>=",
    ]

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\e"
            case "-": result += "\\-"
            default:
                if character.isASCII {
                    result.append(character)
                } else if let glyph = glyphs[character] {
                    result += glyph
                } else {
                    for scalar in character.unicodeScalars {
                        let hex = String(scalar.value, radix: 16, uppercase: true)
                        result += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
                    }
                }
            }
        }
        return result
    }
}
