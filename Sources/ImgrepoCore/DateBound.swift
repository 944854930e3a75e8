#if canImport(Glibc)
import Glibc
#endif

/// A date or time typed by a person: `2024`, `2024-06`, `2024-06-01`, `2024-06-01T12:30`,
/// `2024-06-01T12:30:15`, optionally followed by `Z` or `±HH:MM`. Partial dates mean the
/// start of the period they name.
public struct DateBound: Hashable, Sendable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    /// Seconds east of UTC when the text gave an offset.
    public var offsetSeconds: Int?

    public init?(_ text: String) {
        let parts = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(date.count), date.allSatisfy({ $0 != nil }),
              parts[0].split(separator: "-").first?.count == 4 else { return nil }
        year = date[0]!
        month = date.count > 1 ? date[1]! : 1
        day = date.count > 2 ? date[2]! : 1
        hour = 0; minute = 0; second = 0
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        if parts.count == 2 {
            // Reuse the strict ISO parser for the time and offset.
            let full = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T" + parts[1]
            guard let parsed = CivilTime.parse(full) else { return nil }
            let secondsOfDay = parsed.localSeconds - CivilTime.days(year: year, month: month, day: day) * 86_400
            hour = Int(secondsOfDay / 3600); minute = Int(secondsOfDay / 60 % 60); second = Int(secondsOfDay % 60)
            offsetSeconds = parsed.offsetSeconds
        }
    }

    /// The wall-clock text capture times are stored as: `YYYY-MM-DDTHH:MM:SS`.
    public var wallClock: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }

    /// The instant it names: in its own offset when it has one, else in the local time zone
    /// (TZ), as a person typing a date means it.
    public var instant: Timestamp {
        if let offsetSeconds {
            let local = CivilTime.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            return Timestamp(microseconds: (local - Int64(offsetSeconds)) * 1_000_000)
        }
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(month - 1); t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour); t.tm_min = Int32(minute); t.tm_sec = Int32(second)
        t.tm_isdst = -1
        return Timestamp(microseconds: Int64(mktime(&t)) * 1_000_000)
    }
}
