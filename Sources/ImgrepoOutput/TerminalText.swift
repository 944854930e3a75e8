/// Text measured and cut the way a terminal shows it.
///
/// Width counts grapheme clusters (`é` written as e + U+0301 is one column), with the East
/// Asian wide and fullwidth ranges (漢字, ｆｕｌｌ, most emoji) counted as two columns, as
/// terminals draw them. Ambiguous-width characters count as one.
enum TerminalText {
    /// Columns `s` takes on a terminal.
    static func width(_ s: String) -> Int {
        var isASCII = true
        for b in s.utf8 where b >= 0x80 { isASCII = false; break }
        if isASCII { return s.utf8.count }
        var w = 0
        for c in s { w += width(c) }
        return w
    }

    static func width(_ c: Character) -> Int {
        guard let v = c.unicodeScalars.first?.value else { return 0 }
        return isWide(v) || c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && v >= 0x2000 ? 2 : 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F,
             0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// `s` cut to at most `limit` columns, ending in `…` when something was cut.
    static func truncate(_ s: String, to limit: Int) -> String {
        guard width(s) > limit else { return s }
        guard limit > 0 else { return "" }
        var out = ""
        var used = 0
        for c in s {
            let w = width(c)
            if used + w > limit - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// Control characters made visible, so that a name holding a newline or an escape sequence
    /// can neither break a table's lines nor drive the terminal: `\n`, `\t`, `\r`, `\x1B`; and
    /// a name's bytes that are not UTF-8 shown as `\xFF`, as `ls -b` shows them.
    static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { isControl($0) || isRawByte($0) }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isRawByte(scalar) {
                    out += "\\x" + String(scalar.value - 0xEF00, radix: 16, uppercase: true)
                } else if isControl(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A byte of a file name that is not UTF-8, as the catalogue records it: U+EF80–U+EFFF
    /// for the bytes 0x80–0xFF (docs/repository-format.md, "File names").
    static func isRawByte(_ s: Unicode.Scalar) -> Bool {
        s.value >= 0xEF80 && s.value <= 0xEFFF
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) || s.value == 0x2028 || s.value == 0x2029
    }
}
