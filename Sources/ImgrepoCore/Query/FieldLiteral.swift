#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImageProbe

/// Why a literal does not fit its field, in words for a message; the caller adds the option
/// and value (`--iso abc: not a number`) or the column (`column 7: not a number`).
struct LiteralError: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Reading the literals people type into the values fields are stored as: numbers with units
/// and fractions, dates that name whole periods. Command-line filters and `--where` share it,
/// so `--size 5M..` and `size >= 5M` mean the same thing.
enum FieldLiteral {
    /// A literal read for one field.
    enum Value: Equatable {
        /// One value in the field's stored form.
        case scalar(QueryValue)
        /// A date naming a period `[start, end)`, both bounds in the field's stored form.
        case period(start: QueryValue, end: QueryValue)
    }

    /// `text` read as a value of `field`'s kind: a number (integer and real fields), the text
    /// itself (text fields; format names canonicalised) or a period (dates).
    static func read(_ text: String, for field: QueryField) throws(LiteralError) -> Value {
        switch field.kind {
        case .integer, .real:
            return .scalar(try number(text, for: field))
        case .text:
            if field == .format, let format = ImageFormat(typeName: text) { return .scalar(.text(format.rawValue)) }
            return .scalar(.text(text))
        case .wallClock, .instant:
            return try period(text, for: field)
        }
    }

    // MARK: Numbers

    /// Fields whose values can be below zero (GPS; a rating of -1 marks a rejected picture);
    /// others reject `-5`, which is nearly always a range written without its `..`.
    static func allowsNegative(_ field: QueryField) -> Bool {
        [.latitude, .longitude, .altitude, .rating].contains(field)
    }

    /// The values a field can hold at all, where that is a short closed range: a bound outside
    /// it is a typo (`--rating 6`), refused rather than matching nothing.
    static func domain(_ field: QueryField) -> ClosedRange<Int64>? {
        field == .rating ? -1...5 : nil
    }

    /// A number for an integer or real field: `400`, `-12.5`, `1/250` (real fields), `5M`,
    /// `4.2MB`, `3MiB` (size), `12M`, `12MP` (pixels). No exponents, NaN or infinities.
    static func number(_ text: String, for field: QueryField) throws(LiteralError) -> QueryValue {
        let name = field.rawValue
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        let mantissaText = rest.prefix { $0.isASCII && ($0.isWholeNumber || $0 == ".") }
        rest = rest.dropFirst(mantissaText.count)
        guard let mantissa = DecimalText(mantissaText) else { throw LiteralError("not a number") }
        if negative && !allowsNegative(field) { throw LiteralError("\(name) cannot be negative") }

        if rest.first == "/" {
            guard field.kind == .real else { throw LiteralError("\(name) takes whole numbers, not fractions") }
            guard let denominator = DecimalText(rest.dropFirst()) else { throw LiteralError("not a number") }
            guard denominator.double != 0 else { throw LiteralError("division by zero") }
            let value = mantissa.double / denominator.double
            guard value.isFinite else { throw LiteralError("number too large") }
            return .real(negative ? -value : value)
        }

        let unit = String(rest)
        if field.kind == .real {
            guard unit.isEmpty else { throw LiteralError("not a number") }
            let value = mantissa.double
            guard value.isFinite else { throw LiteralError("number too large") }
            return .real(negative ? -value : value)
        }
        let multiplier = try unitMultiplier(unit, for: field)
        switch mantissa.scaled(by: multiplier) {
        case .value(let v):
            let value = negative ? -v : v
            if let domain = domain(field), !domain.contains(value) {
                throw LiteralError("\(name) is \(domain.lowerBound) to \(domain.upperBound), not \(value)")
            }
            return .integer(value)
        case .tooLarge: throw LiteralError("number too large")
        case .notWhole: throw LiteralError("\(name) takes whole numbers")
        }
    }

    /// Decimal units, as the tables print sizes (`4.2 MB`); binary ones spelled out (`MiB`).
    static let sizeUnits: [String: Int64] = [
        "": 1, "b": 1,
        "k": 1_000, "kb": 1_000, "m": 1_000_000, "mb": 1_000_000,
        "g": 1_000_000_000, "gb": 1_000_000_000, "t": 1_000_000_000_000, "tb": 1_000_000_000_000,
        "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
    ]
    static let pixelUnits: [String: Int64] = [
        "": 1, "k": 1_000, "m": 1_000_000, "mp": 1_000_000, "g": 1_000_000_000,
    ]

    static func unitMultiplier(_ unit: String, for field: QueryField) throws(LiteralError) -> Int64 {
        let lowered = unit.lowercased()
        switch field {
        case .size:
            guard let m = sizeUnits[lowered] else {
                throw LiteralError("unknown unit '\(unit)' (K, M, G, T are powers of 1000 bytes, KiB, MiB, GiB, TiB powers of 1024)")
            }
            return m
        case .pixels:
            guard let m = pixelUnits[lowered] else {
                throw LiteralError("unknown unit '\(unit)' (K, M, G: thousand, million, billion pixels; MP = M)")
            }
            return m
        default:
            guard unit.isEmpty else { throw LiteralError("not a number") }
            return 1
        }
    }

    // MARK: Dates

    /// A date read as the period it names, in `field`'s stored form: wall-clock text for
    /// `taken`, microseconds since the epoch for instants.
    static func period(_ text: String, for field: QueryField) throws(LiteralError) -> Value {
        let date = try CalendarPeriod(text)
        if field.kind == .wallClock {
            guard date.offsetSeconds == nil else {
                throw LiteralError("\(field.rawValue) is the camera's wall-clock time, without offset: drop the offset (or compare taken_utc)")
            }
            return .period(start: .text(date.wallClock), end: .text(date.next.wallClock))
        }
        return .period(start: .integer(date.instantMicroseconds), end: .integer(date.next.instantMicroseconds))
    }

    // MARK: Predicates

    /// `field op literal`; periods follow period semantics (`= 2023-06` is within June,
    /// `> 2023-06` from July 1, `<= 2023-06` before July 1, `!=` outside June).
    static func predicate(_ field: QueryField, _ op: ComparisonOperator, _ value: Value) -> QueryPredicate {
        switch value {
        case .scalar(let v):
            return .compare(field, op, v)
        case .period(let start, let end):
            switch op {
            case .equal: return .and([.compare(field, .greaterOrEqual, start), .compare(field, .less, end)])
            case .notEqual: return .or([.compare(field, .less, start), .compare(field, .greaterOrEqual, end)])
            case .less: return .compare(field, .less, start)
            case .lessOrEqual: return .compare(field, .less, end)
            case .greater: return .compare(field, .greaterOrEqual, end)
            case .greaterOrEqual: return .compare(field, .greaterOrEqual, start)
            }
        }
    }

    /// Values from `lower` through `upper` (either may be missing): numbers inclusive at both
    /// ends, periods from the start of the first to the end of the last.
    ///
    /// - Throws: when the range is empty; `lowerText`/`upperText` name the bounds in the message.
    static func range(_ field: QueryField, lower: Value?, upper: Value?, lowerText: String, upperText: String) throws(LiteralError) -> QueryPredicate {
        var parts: [QueryPredicate] = []
        var low: QueryValue?, high: QueryValue?
        var highInclusive = true
        switch lower {
        case .scalar(let v): low = v
        case .period(let start, _): low = start
        case nil: break
        }
        switch upper {
        case .scalar(let v): high = v
        case .period(_, let end): high = end; highInclusive = false
        case nil: break
        }
        if let low, let high, let order = compare(low, high), order > 0 || (order == 0 && !highInclusive) {
            throw LiteralError("empty range: \(lowerText) comes after \(upperText)")
        }
        if let low { parts.append(.compare(field, .greaterOrEqual, low)) }
        if let high { parts.append(.compare(field, highInclusive ? .lessOrEqual : .less, high)) }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    /// -1, 0 or 1 for two values of one kind; nil when they cannot be ordered.
    static func compare(_ a: QueryValue, _ b: QueryValue) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.real(let x), .real(let y)): return x < y ? -1 : x == y ? 0 : 1
        // Byte order, as the catalogue compares text.
        case (.text(let x), .text(let y)):
            return x == y ? 0 : x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        default: return nil
        }
    }

    // MARK: Globs

    /// Checks a glob's brackets: `[` must be closed (`[]x]` and `[^]x]` hold a literal `]`).
    static func checkGlob(_ pattern: String) throws(LiteralError) {
        guard !pattern.isEmpty else { throw LiteralError("empty pattern") }
        let chars = Array(pattern.unicodeScalars)
        var i = 0
        while i < chars.count {
            if chars[i] == "[" {
                var j = i + 1
                if j < chars.count, chars[j] == "^" { j += 1 }
                if j < chars.count, chars[j] == "]" { j += 1 }
                while j < chars.count, chars[j] != "]" { j += 1 }
                guard j < chars.count else { throw LiteralError("unclosed '[' in pattern") }
                i = j
            }
            i += 1
        }
    }
}

/// Digits with an optional fraction, as typed: `12`, `4.25`. No sign, exponent or bare `.5`.
struct DecimalText {
    var whole: Substring
    var fraction: Substring

    init?(_ text: Substring) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, first.allSatisfy(\.isASCIIDigit) else { return nil }
        whole = first
        fraction = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 { guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { return nil } }
    }

    var double: Double { Double(fraction.isEmpty ? String(whole) : "\(whole).\(fraction)") ?? .infinity }

    enum Scaled { case value(Int64), tooLarge, notWhole }

    /// The number times `multiplier`, computed exactly: `1.5` × 1000 is 1500, `1.0005` × 1000 is
    /// not whole.
    func scaled(by multiplier: Int64) -> Scaled {
        var fraction = self.fraction
        while fraction.last == "0" { fraction = fraction.dropLast() }
        let digits = (whole + fraction).drop { $0 == "0" }
        guard digits.count <= 18, let combined = Int64(digits.isEmpty ? "0" : String(digits)) else { return .tooLarge }
        let (product, overflow) = combined.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return .tooLarge }
        guard fraction.count <= 18 else { return .notWhole }
        var divisor: Int64 = 1
        for _ in 0..<fraction.count { divisor *= 10 }
        guard product % divisor == 0 else { return .notWhole }
        return .value(product / divisor)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

extension ImageFormat {
    /// The format a person names with `text`: its raw value or a common alias (`jpg`, `tif`),
    /// any case.
    init?(typeName text: String) {
        let lowered = text.lowercased()
        switch lowered {
        case "jpg", "jpe": self = .jpeg
        case "tif": self = .tiff
        default:
            guard let format = ImageFormat(rawValue: lowered) else { return nil }
            self = format
        }
    }
}

/// A date as typed, naming the period of its precision: `2023` a year, `2023-06` a month,
/// `2023-06-01` a day, `2023-06-01T12:30` a minute, `2023-06-01T12:30:15` a second. A time may
/// carry `Z` or `±HH:MM`; without one it is wall-clock (local) time.
struct CalendarPeriod: Equatable {
    enum Precision: Equatable { case year, month, day, minute, second }

    var year: Int, month = 1, day = 1, hour = 0, minute = 0, second = 0
    var precision: Precision
    var offsetSeconds: Int?

    static let formatReason = "not a date (expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], optionally followed by Z or ±HH:MM)"

    init(_ text: String) throws(LiteralError) {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                guard b[i + k] >= 48, b[i + k] <= 57 else { return nil }
                v = v * 10 + Int(b[i + k] - 48)
            }
            i += n
            return v
        }
        func take(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        let malformed = LiteralError(Self.formatReason)
        guard let y = digits(4) else { throw malformed }
        year = y
        precision = .year
        if take("-") {
            guard let m = digits(2) else { throw malformed }
            guard (1...12).contains(m) else { throw LiteralError("month \(m) does not exist") }
            month = m
            precision = .month
            if take("-") {
                guard let d = digits(2) else { throw malformed }
                let days = CalendarPeriod.daysIn(year: y, month: m)
                guard (1...days).contains(d) else {
                    throw LiteralError("day \(d) does not exist in \(pad(y, 4))-\(pad(m, 2)), which has \(days) days")
                }
                day = d
                precision = .day
                if take("T") || take("t") || take(" ") {
                    guard let h = digits(2), take(":"), let mi = digits(2) else { throw malformed }
                    guard h < 24, mi < 60 else { throw LiteralError("no such time of day: \(pad(h, 2)):\(pad(mi, 2))") }
                    hour = h; minute = mi
                    precision = .minute
                    if take(":") {
                        guard let s = digits(2) else { throw malformed }
                        guard s < 60 else { throw LiteralError("second \(s) does not exist") }
                        second = s
                        precision = .second
                    }
                    if take("Z") || take("z") {
                        offsetSeconds = 0
                    } else if i < b.count, b[i] == 43 || b[i] == 45 { // '+' '-'
                        let sign = b[i] == 45 ? -1 : 1
                        i += 1
                        guard let oh = digits(2), take(":"), let om = digits(2) else { throw malformed }
                        guard oh < 24, om < 60 else { throw LiteralError("no such offset") }
                        offsetSeconds = sign * (oh * 3600 + om * 60)
                    }
                }
            }
        }
        guard i == b.count else { throw malformed }
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds since 1970-01-01T00:00:00 on the period's own clock.
    var localSeconds: Int64 {
        CivilCalendar.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The period right after this one, of the same precision: its start is this one's end.
    var next: CalendarPeriod {
        var n = self
        switch precision {
        case .year:
            n.year += 1
        case .month:
            if month == 12 { n.year += 1; n.month = 1 } else { n.month += 1 }
        case .day, .minute, .second:
            let step: Int64 = precision == .day ? 86_400 : precision == .minute ? 60 : 1
            let seconds = localSeconds + step
            let days = seconds.floorDiv(86_400)
            let rest = Int(seconds - days * 86_400)
            (n.year, n.month, n.day) = CivilCalendar.civil(days: days)
            n.hour = rest / 3600; n.minute = rest / 60 % 60; n.second = rest % 60
        }
        return n
    }

    /// The start as stored wall-clock text `YYYY-MM-DDTHH:MM:SS`. The end of year 9999 is
    /// written `9999-12-31T24:00:00`, which sorts after every real time, as text comparison needs.
    var wallClock: String {
        if year > 9999 { return "9999-12-31T24:00:00" }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }

    /// The start as microseconds since the epoch: in its own offset, else in the local time
    /// zone (TZ) through mktime, so periods across a DST change have their true length.
    var instantMicroseconds: Int64 {
        if let offsetSeconds { return (localSeconds - Int64(offsetSeconds)) * 1_000_000 }
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(month - 1); t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour); t.tm_min = Int32(minute); t.tm_sec = Int32(second)
        t.tm_isdst = -1
        return Int64(mktime(&t)) * 1_000_000
    }
}
