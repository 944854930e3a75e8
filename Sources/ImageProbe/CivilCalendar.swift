/// The proleptic Gregorian calendar in whole days since 1970-01-01 (Howard Hinnant's
/// algorithms), for every layer that turns dates into day counts or back: camera clocks in
/// maker segments here, timestamps and query literals in ImgrepoCore, DATETIMEs in the MySQL
/// driver. Negative days (before 1970) divide towards minus infinity.
package enum CivilCalendar {
    /// Days since 1970-01-01 for a civil date.
    package static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y.floorDiv(400)
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date `days` after 1970-01-01.
    package static func civil(days z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = z.floorDiv(146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}

extension Int64 {
    /// Division rounding towards minus infinity.
    @inline(__always)
    package func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
