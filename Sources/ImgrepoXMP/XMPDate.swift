/// An XMP date (ISO 8601 as XMP profiles it: `YYYY-MM-DDThh:mm[:ss[.s+]][TZD]`) as the
/// catalogue's wall-clock capture time. EXIF's `YYYY:MM:DD hh:mm:ss`, which some writers put
/// in XMP, is accepted too. Dates without a time (`2005-09-07`, `2005`) are not capture times
/// to the second and give nil, as do impossible values.
struct XMPDate: Equatable {
    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]`.
    var local: String
    /// `±HH:MM`, `Z` as `+00:00`; nil without a zone.
    var offset: String?

    init(local: String, offset: String?) { self.local = local; self.offset = offset }

    init?(_ text: String) {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for j in i ..< i + count {
                guard b[j] >= 0x30, b[j] <= 0x39 else { return nil }
                value = value * 10 + Int(b[j] - 0x30)
            }
            i += count
            return value
        }
        func expect(_ choices: [UInt8]) -> Bool {
            guard i < b.count, choices.contains(b[i]) else { return false }
            i += 1
            return true
        }
        let dash: [UInt8] = [0x2D, 0x3A], colon: [UInt8] = [0x3A]
        guard let year = digits(4), expect(dash), let month = digits(2), expect(dash), let day = digits(2),
              expect([0x54, 0x20]), let hour = digits(2), expect(colon), let minute = digits(2) else { return nil }
        var second = 0
        var fraction = ""
        if i < b.count, b[i] == 0x3A {
            i += 1
            guard let s = digits(2) else { return nil }
            second = s
            if i < b.count, b[i] == 0x2E {
                i += 1
                let start = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                guard i > start else { return nil }
                fraction = "." + String(decoding: b[start ..< min(i, start + 6)], as: UTF8.self)
            }
        }
        var zone: String?
        if i < b.count {
            if b[i] == 0x5A, i + 1 == b.count {
                zone = "+00:00"
                i += 1
            } else if b[i] == 0x2B || b[i] == 0x2D {
                let sign = b[i] == 0x2B ? "+" : "-"
                i += 1
                guard let h = digits(2) else { return nil }
                if i < b.count, b[i] == 0x3A { i += 1 }
                guard let m = digits(2), h <= 14, m <= 59 else { return nil }
                zone = sign + Self.two(h) + ":" + Self.two(m)
            }
            guard i == b.count else { return nil }
        }
        guard year > 0, (1...12).contains(month), (1...31).contains(day), hour <= 23, minute <= 59, second <= 60 else {
            return nil
        }
        local = "\(Self.four(year))-\(Self.two(month))-\(Self.two(day))T\(Self.two(hour)):\(Self.two(minute)):\(Self.two(second))"
            + fraction
        offset = zone
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
}
