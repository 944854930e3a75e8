import ImgrepoCore

/// One column of output: its JSON key and CSV/TSV header, its table header, and how a table
/// shows its values. Values themselves are always `JSONValue`s, so every format renders the
/// same data.
public struct OutputColumn: Hashable, Sendable {
    /// The JSON key and CSV/TSV header, snake_case.
    public var key: String
    /// The table header (`UPLOADED`).
    public var title: String
    /// How a table shows the value; machine formats ignore it.
    public var style: CellStyle

    public init(key: String, title: String? = nil, style: CellStyle = .text) {
        self.key = key
        self.title = title ?? key.uppercased().replacingUnderscores()
        self.style = style
    }

    /// Numbers are right-aligned, everything else left-aligned.
    public var alignment: TextAlignment { style.isNumeric ? .right : .left }
}

public enum TextAlignment: Hashable, Sendable { case left, right }

/// How a table shows a value. A `null` is always `-`; a value of an unexpected kind is
/// shown as plain text.
public enum CellStyle: Hashable, Sendable {
    /// Text as is (control characters made visible). The only style a narrow terminal truncates.
    case text
    /// A short label that is never truncated (format, status, offsets).
    case label
    /// A number as is.
    case number
    /// Bytes as `4.2 MB`.
    case bytes
    /// An ISO 8601 instant shown as `2023-06-01 12:34` in the display time zone.
    case instant
    /// A wall-clock time without zone (`2023-06-01T12:34:56.123`) shown as `2023-06-01 12:34`, unconverted.
    case wallClock
    /// Seconds as `1/250`, `0.5`, `2`.
    case exposure
    /// An f-number as `f/2.8`.
    case aperture
    /// A number followed by a unit, rounded to `decimals`: `50 mm`, `35.2 m`.
    case measure(unit: String, decimals: Int)
    /// Decimal degrees with six decimals: `48.858370`.
    case degrees
    /// `4000x3000` shown as `4000×3000`.
    case dimensions

    public var isNumeric: Bool {
        switch self {
        case .text, .label, .wallClock, .instant: false
        case .number, .bytes, .exposure, .aperture, .measure, .degrees, .dimensions: true
        }
    }

    /// The table text of `value`.
    public func render(_ value: JSONValue, timeZone: DisplayTimeZone) -> String {
        switch (self, value) {
        case (_, .null): return "-"
        case (.bytes, .int(let n)): return humanSize(n)
        case (.bytes, .double(let d)) where d.isFinite && abs(d) < 9e18: return humanSize(Int64(d))
        case (.instant, .string(let s)):
            guard let t = Timestamp(iso8601: s) else { return TerminalText.visible(s) }
            return timeZone.format(t)
        case (.wallClock, .string(let s)):
            // `YYYY-MM-DDTHH:MM…` → `YYYY-MM-DD HH:MM`; anything else as is.
            let b = Array(s.utf8)
            guard b.count >= 16, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") else { return TerminalText.visible(s) }
            return String(decoding: b[0..<10], as: UTF8.self) + " " + String(decoding: b[11..<16], as: UTF8.self)
        case (.exposure, _): return value.number.map(exposureText) ?? Self.plain(value)
        case (.aperture, _): return value.number.map { "f/" + decimalText($0, maxFractionDigits: 1) } ?? Self.plain(value)
        case (.measure(let unit, let decimals), _):
            return value.number.map { decimalText($0, maxFractionDigits: decimals) + " " + unit } ?? Self.plain(value)
        case (.degrees, _):
            guard let d = value.number, d.isFinite else { return Self.plain(value) }
            return Self.fixed(d, decimals: 6)
        case (.dimensions, .string(let s)):
            return TerminalText.visible(String(s.map { $0 == "x" ? "×" : $0 }))
        default: return Self.plain(value)
        }
    }

    /// A value as plain table text: strings as is (control characters made visible), numbers
    /// as in JSON, arrays of scalars joined with `, `, objects as compact JSON.
    static func plain(_ value: JSONValue) -> String {
        switch value {
        case .null: "-"
        case .string(let s): TerminalText.visible(s)
        case .array(let items) where items.allSatisfy(\.isScalar): items.map(plain).joined(separator: ", ")
        default: TerminalText.visible(value.text)
        }
    }

    static func fixed(_ d: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let units = (abs(d) * scale).rounded()
        guard units < 9e15 else { return JSONValue.numberText(d) }
        let n = Int64(units)
        let fraction = String(n % Int64(scale))
        return (d < 0 && n != 0 ? "-" : "") + String(n / Int64(scale)) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}

extension JSONValue {
    /// The value as a Double when it is a number.
    var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
