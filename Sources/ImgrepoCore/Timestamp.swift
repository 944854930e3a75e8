import ImageProbe

/// An instant in UTC with microsecond precision, stored as microseconds since the Unix epoch.
///
/// imgrepo formats and parses its own timestamps instead of going through Foundation's
/// date formatters: they are on the start-up path of every command, and the one format we
/// emit (`2026-11-24T20:23:00.123456Z`) is simple enough to own.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The current time, read from the real-time clock.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(microseconds: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }

    /// ISO 8601 in UTC with six fractional digits: `2026-11-24T20:23:00.123456Z`.
    /// Written digit by digit into one 27-byte string: `list` formats two of these per row.
    public var iso8601: String {
        let seconds = microseconds.floorDiv(1_000_000)
        let micros = Int(microseconds - seconds * 1_000_000)
        let days = seconds.floorDiv(86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = CivilCalendar.civil(days: days)
        guard (0...9999).contains(y) else {
            let (date, time) = CivilTime.split(seconds)
            return "\(date)T\(time).\(pad(micros, 6))Z"
        }
        return String(unsafeUninitializedCapacity: 27) { b in
            func put(_ value: Int, _ width: Int, at start: Int) {
                var v = value
                for i in stride(from: start + width - 1, through: start, by: -1) {
                    b[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
                    v /= 10
                }
            }
            put(y, 4, at: 0); b[4] = 0x2D; put(m, 2, at: 5); b[7] = 0x2D; put(d, 2, at: 8); b[10] = 0x54
            put(secondOfDay / 3600, 2, at: 11); b[13] = 0x3A; put(secondOfDay / 60 % 60, 2, at: 14); b[16] = 0x3A
            put(secondOfDay % 60, 2, at: 17); b[19] = 0x2E; put(micros, 6, at: 20); b[26] = 0x5A
            return 27
        }
    }

    public var description: String { iso8601 }

    /// Whole seconds since the epoch, rounded down (also before 1970).
    public var seconds: Int64 { microseconds.floorDiv(1_000_000) }

    /// `YYYY-MM-DD HH:MM[:SS]` on the clock `offsetSeconds` east of UTC.
    public func wallClockText(offsetSeconds: Int, seconds withSeconds: Bool = false) -> String {
        let (date, time) = CivilTime.split(seconds + Int64(offsetSeconds))
        return date + " " + (withSeconds ? time : String(time.prefix(5)))
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.ffffff]]` followed by `Z`, `±HH:MM` or nothing.
    /// A time without an offset is read in the given offset (seconds east of UTC; default UTC).
    /// Returns nil for anything else.
    public init?(iso8601 text: String, defaultOffsetSeconds: Int = 0) {
        guard let parsed = CivilTime.parse(text) else { return nil }
        let offset = parsed.offsetSeconds ?? defaultOffsetSeconds
        self.microseconds = (parsed.localSeconds - Int64(offset)) * 1_000_000 + parsed.micros
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso8601)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let t = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time: \(text)")
        }
        self = t
    }
}

/// Civil (proleptic Gregorian) calendar arithmetic without time zones.
enum CivilTime {
    struct Parsed { var localSeconds: Int64; var micros: Int64; var offsetSeconds: Int? }

    /// `("YYYY-MM-DD", "HH:MM:SS")` for seconds since the epoch.
    static func split(_ seconds: Int64) -> (String, String) {
        let days = seconds.floorDiv(86_400)
        let rem = Int(seconds - days * 86_400)
        let (y, m, d) = CivilCalendar.civil(days: days)
        return ("\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))", "\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))")
    }

    static func parse(_ text: String) -> Parsed? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var micros: Int64 = 0
        var offset: Int?
        if i < b.count, b[i] == 84 || b[i] == 32 { // 'T' or ' '
            i += 1
            guard let h = number(2), expect(58), let mi = number(2), h < 24, mi < 60 else { return nil }
            hour = h; minute = mi
            if expect(58) {
                guard let s = number(2), s < 61 else { return nil }
                second = s
                if expect(46) {
                    var digits = 0
                    var value: Int64 = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        if digits < 6 { value = value * 10 + Int64(b[i] - 48) }
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in digits..<max(digits, 6) { value *= 10 }
                    micros = value
                }
            }
            if i < b.count {
                if b[i] == 90 { // 'Z'
                    i += 1
                    offset = 0
                } else if b[i] == 43 || b[i] == 45 { // '+' '-'
                    let sign = b[i] == 45 ? -1 : 1
                    i += 1
                    guard let oh = number(2), expect(58), let om = number(2), oh < 24, om < 60 else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
        }
        guard i == b.count else { return nil }
        let local = CivilCalendar.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Parsed(localSeconds: local, micros: micros, offsetSeconds: offset)
    }
}

@inline(__always)
func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}


#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
