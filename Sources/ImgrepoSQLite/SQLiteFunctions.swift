import CSQLite
import ImgrepoSQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SQL functions the driver adds to each connection: the great-circle distance that
/// `near` filters on, the Hamming distance that `similar` filters on, and a glob for patterns SQLite's own GLOB cannot take (those holding NUL).
///
/// Both are deterministic and innocuous, so SQLite may use them in indexes, views and triggers.
enum SQLiteFunctions {
    /// `imgrepo_km(lat1, lon1, lat2, lon2)`: haversine distance in kilometres on a sphere of
    /// the mean Earth radius; NULL when any argument is NULL.
    static let distanceName = "imgrepo_km"
    /// `imgrepo_glob(pattern, text)`: 1 when `text` matches the shell glob, with GLOB's own
    /// syntax (`*`, `?`, `[...]`, `[^...]`), over whole Unicode scalars, NUL included.
    static let globName = "imgrepo_glob"
    /// `imgrepo_hamming(a, b)`: the number of bits in which two 64-bit integers differ
    /// (perceptual hashes); NULL when either is NULL.
    static let hammingName = "imgrepo_hamming"

    static func register(on connection: OpaquePointer) throws {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        var rc = sqlite3_create_function_v2(connection, distanceName, 4, flags, nil, distance, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: connection, sql: nil) }
        rc = sqlite3_create_function_v2(connection, globName, 2, flags, nil, glob, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: connection, sql: nil) }
        rc = sqlite3_create_function_v2(connection, hammingName, 2, flags, nil, hamming, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: connection, sql: nil) }
    }

    /// Kilometres between two points given in degrees.
    static func kilometres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLon = (lon2 - lon1) * radians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * ImageQuerySQL.earthRadiusKilometres * asin(min(1, a.squareRoot()))
    }

    private static let distance: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
        context, count, arguments in
        guard let arguments, count == 4 else { return sqlite3_result_null(context) }
        var values: [Double] = []
        for index in 0..<4 {
            guard sqlite3_value_type(arguments[index]) != SQLITE_NULL else { return sqlite3_result_null(context) }
            values.append(sqlite3_value_double(arguments[index]))
        }
        sqlite3_result_double(context, kilometres(values[0], values[1], values[2], values[3]))
    }

    private static let hamming: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
        context, count, arguments in
        guard let arguments, count == 2,
              sqlite3_value_type(arguments[0]) != SQLITE_NULL, sqlite3_value_type(arguments[1]) != SQLITE_NULL else {
            return sqlite3_result_null(context)
        }
        let a = UInt64(bitPattern: sqlite3_value_int64(arguments[0]))
        let b = UInt64(bitPattern: sqlite3_value_int64(arguments[1]))
        sqlite3_result_int(context, Int32((a ^ b).nonzeroBitCount))
    }

    private static let glob: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
        context, count, arguments in
        guard let arguments, count == 2,
              let pattern = text(arguments[0]), let subject = text(arguments[1]) else {
            return sqlite3_result_null(context)
        }
        sqlite3_result_int(context, matches(glob: Array(pattern.unicodeScalars)[...], Array(subject.unicodeScalars)[...]) ? 1 : 0)
    }

    /// The value as text with its embedded NULs, or nil for NULL.
    private static func text(_ value: OpaquePointer?) -> String? {
        guard sqlite3_value_type(value) != SQLITE_NULL else { return nil }
        guard let bytes = sqlite3_value_text(value) else { return "" }
        let count = Int(sqlite3_value_bytes(value))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Whether `text` matches `glob` (SQLite GLOB semantics, case-sensitive).
    static func matches(glob: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var pattern = glob
        var subject = text
        while let p = pattern.first {
            switch p {
            case "*":
                pattern = pattern.drop(while: { $0 == "*" })
                if pattern.isEmpty { return true }
                var rest = subject
                while true {
                    if matches(glob: pattern, rest) { return true }
                    guard !rest.isEmpty else { return false }
                    rest = rest.dropFirst()
                }
            case "?":
                guard !subject.isEmpty else { return false }
                pattern = pattern.dropFirst()
                subject = subject.dropFirst()
            case "[":
                guard let c = subject.first, let (matched, rest) = matchClass(pattern.dropFirst(), c), matched else {
                    return false
                }
                pattern = rest
                subject = subject.dropFirst()
            default:
                guard subject.first == p else { return false }
                pattern = pattern.dropFirst()
                subject = subject.dropFirst()
            }
        }
        return subject.isEmpty
    }

    /// Matches `c` against the class whose body starts `body` (just after `[`); returns
    /// whether it matched and the pattern after `]`, or nil for an unterminated class.
    private static func matchClass(_ body: ArraySlice<Unicode.Scalar>, _ c: Unicode.Scalar)
        -> (Bool, ArraySlice<Unicode.Scalar>)? {
        var rest = body
        var negated = false
        if rest.first == "^" { negated = true; rest = rest.dropFirst() }
        var found = false
        var first = true
        var previous: Unicode.Scalar?
        while let s = rest.first {
            if s == "]" && !first { return (found != negated, rest.dropFirst()) }
            if s == "-", let low = previous, rest.count > 1, rest.dropFirst().first != "]" {
                let high = rest.dropFirst().first!
                if low <= c && c <= high { found = true }
                previous = nil
                rest = rest.dropFirst(2)
            } else {
                if s == c { found = true }
                previous = s
                rest = rest.dropFirst()
            }
            first = false
        }
        return nil
    }
}
