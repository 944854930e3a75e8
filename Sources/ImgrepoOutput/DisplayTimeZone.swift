#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImgrepoCore

/// The time zone in which tables show instants (`--tz`). Machine formats (JSON, NDJSON, CSV,
/// TSV) never use it: their instants are always UTC.
///
/// Named zones (`Europe/Paris`, `local`) are resolved by the C library, whose only interface
/// is the process-global `TZ` variable: looking up an offset sets `TZ`, calls `tzset` and
/// `localtime_r` under a lock owned by this type, and leaves `TZ` set to the last zone used.
/// Code elsewhere in the process that reads local time concurrently (none in imgrepo) could
/// see the wrong zone; `local` always means the zone of the environment at start-up.
public struct DisplayTimeZone: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        /// A fixed offset, seconds east of UTC.
        case fixed(Int)
        /// An IANA name looked up in the tz database.
        case named(String)
        /// The zone of the process environment at start-up (TZ, else /etc/localtime).
        case local
    }

    let kind: Kind

    private init(kind: Kind) { self.kind = kind }

    /// The name as the user should read it: `UTC`, `+02:00`, `Europe/Paris`, `local`.
    public var description: String {
        switch kind {
        case .fixed(0): "UTC"
        case .fixed(let s): Self.offsetText(s)
        case .named(let n): n
        case .local: "local"
        }
    }

    public static let utc = DisplayTimeZone(kind: .fixed(0))
    /// The zone of the environment (TZ, else /etc/localtime), as `date` would use.
    public static let local = DisplayTimeZone(kind: .local)

    /// A fixed offset east of UTC, in seconds.
    public static func fixed(secondsEast: Int) -> DisplayTimeZone { DisplayTimeZone(kind: .fixed(secondsEast)) }

    /// Why a `--tz` value was refused.
    public struct InvalidZone: Error, Hashable, Sendable, CustomStringConvertible {
        public var value: String
        public var description: String {
            "unknown time zone '\(value)' (use UTC, local, an offset such as +02:00 or -0530, or a tz database name such as Europe/Paris)"
        }
    }

    /// Reads `UTC` (also `Z`, `GMT`, any case), `local`, an offset (`+02:00`, `-0530`, `+02`,
    /// up to ±18:00), or a tz database name (`Europe/Paris`) found under `$TZDIR` or
    /// /usr/share/zoneinfo. Throws `InvalidZone` naming the value otherwise.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        if ["utc", "z", "gmt", "etc/utc", "zulu"].contains(lowered) { self = .utc; return }
        if lowered == "local" { self = .local; return }
        if let seconds = Self.parseOffset(text) { self.kind = .fixed(seconds); return }
        guard Self.isZoneName(text) else { throw InvalidZone(value: text) }
        self.kind = .named(text)
    }

    /// Seconds east of UTC at the instant `t`.
    public func offsetSeconds(at t: Timestamp) -> Int {
        switch kind {
        case .fixed(let s): s
        case .named(let n): ZoneLookup.shared.offset(at: t, zone: n)
        case .local: ZoneLookup.shared.offset(at: t, zone: nil)
        }
    }

    /// `2023-06-01 12:34` (or with `:56` seconds) in this zone.
    public func format(_ t: Timestamp, seconds: Bool = false) -> String {
        let offset = offsetSeconds(at: t)
        return t.wallClockText(offsetSeconds: offset, seconds: seconds)
    }

    /// `+02:00`, `-05:30`.
    static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let m = abs(seconds) / 60
        return sign + twoDigits(m / 60) + ":" + twoDigits(m % 60)
    }

    static func parseOffset(_ text: String) -> Int? {
        let b = Array(text.utf8)
        guard let first = b.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { return nil }
        var digits = Array(b.dropFirst())
        if digits.count == 5, digits[2] == UInt8(ascii: ":") { digits.remove(at: 2) }
        guard digits.count == 2 || digits.count == 4,
              digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let n = digits.map { Int($0 - 48) }
        let hours = n[0] * 10 + n[1]
        let minutes = digits.count == 4 ? n[2] * 10 + n[3] : 0
        guard minutes < 60, hours * 60 + minutes <= 18 * 60 else { return nil }
        let seconds = (hours * 60 + minutes) * 60
        return first == UInt8(ascii: "-") ? -seconds : seconds
    }

    /// A tz database name that resolves to a TZif file: letters, digits, `_`, `-`, `+` and `/`
    /// between components, no `..`, no leading `/`. The file is checked because glibc quietly
    /// falls back to UTC for a name it cannot find.
    static func isZoneName(_ text: String) -> Bool {
        guard !text.isEmpty, text.count < 256, !text.hasPrefix("/"), !text.hasSuffix("/") else { return false }
        for c in text.unicodeScalars {
            let ok = (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || "_-+/".unicodeScalars.contains(c)
            if !ok { return false }
        }
        if text.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == ".." || $0 == "." }) { return false }
        var folders: [String] = []
        if let dir = getenv("TZDIR") { folders.append(String(cString: dir)) }
        folders.append("/usr/share/zoneinfo")
        for folder in folders {
            let fd = open(folder + "/" + text, O_RDONLY)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var magic = [UInt8](repeating: 0, count: 4)
            let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4) }
            if n == 4, magic == Array("TZif".utf8) { return true }
        }
        return false
    }
}

/// The one owner of the process's `TZ` variable while imgrepo looks up named zones.
final class ZoneLookup: @unchecked Sendable {
    static let shared = ZoneLookup()

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// The environment's TZ at first use (nil: unset), restored for `local`.
    private let originalTZ: String?
    /// The zone currently installed in TZ: nil for the original environment.
    private var installed: String?

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        originalTZ = getenv("TZ").map { String(cString: $0) }
        installed = nil
    }

    func offset(at t: Timestamp, zone: String?) -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if zone != installed { install(zone) }
        // The environment's own TZ is put back at once: other code in the process (mktime in
        // the query parser, child processes) must never see a zone chosen for display.
        defer { if installed != nil { install(nil) } }
        var seconds = time_t(t.seconds)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }

    private func install(_ zone: String?) {
        if let zone { setenv("TZ", zone, 1) } else if let originalTZ { setenv("TZ", originalTZ, 1) } else { unsetenv("TZ") }
        tzset()
        installed = zone
    }
}

func twoDigits(_ v: Int) -> String { v < 10 && v >= 0 ? "0" + String(v) : String(v) }

