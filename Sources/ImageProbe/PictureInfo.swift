/// The fields imgrepo takes from a JPEG APP12 "Picture Info" segment, the ASCII `key=value`
/// block some cameras of the late 1990s (Olympus, Agfa, Polaroid) wrote instead of EXIF, read
/// by exiftool's rules (Image::ExifTool::APP12::PictureInfo, `exiftool -n` values).
public struct PictureInfo: Hashable, Sendable {
    /// `TimeDate`, seconds since 1970 written by the camera's clock, as `YYYY-MM-DDTHH:MM:SS`
    /// (converted as UTC, like exiftool; the camera knew no time zone).
    public var takenLocal: String?
    /// `Shutter` (or `shtr`) in microseconds, as seconds.
    public var exposureTime: Double?
    /// `FNumber`, with any leading letters (Agfa's `F`) dropped.
    public var fNumber: Double?
    /// `Flash`: 0 off, 1 fired.
    public var flash: Int?

    public init(takenLocal: String? = nil, exposureTime: Double? = nil, fNumber: Double? = nil, flash: Int? = nil) {
        self.takenLocal = takenLocal; self.exposureTime = exposureTime; self.fNumber = fNumber; self.flash = flash
    }

    /// The segment's payload (after the marker and length) parsed; nil for a Ducky segment
    /// (the other APP12 kind) or one with none of these fields. Values that are not plain
    /// numbers are skipped; of a repeated key the first counts (exiftool's priority-0 rule).
    /// Never traps on hostile input.
    public static func parse<C: RandomAccessCollection>(_ payload: C) -> PictureInfo?
    where C.Element == UInt8, C.Index == Int {
        guard !payload.starts(with: Array("Ducky".utf8)) else { return nil }
        var info = PictureInfo()
        for (key, value) in pairs(Array(payload)) {
            switch key {
            case "TimeDate":
                guard info.takenLocal == nil, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                      let seconds = Int64(value), seconds > 0 else { continue }
                info.takenLocal = utcDate(seconds)
            case "Shutter", "shtr":
                guard info.exposureTime == nil, let micro = decimal(value) else { continue }
                info.exposureTime = micro * 1e-6
            case "FNumber":
                guard info.fNumber == nil else { continue }
                info.fNumber = decimal(String(value.drop { ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || $0 == " " }))
            case "Flash":
                guard info.flash == nil, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(value.prefix(5))
                else { continue }
                info.flash = n
            default:
                continue
            }
        }
        return info == PictureInfo() ? nil : info
    }

    /// exiftool's tokens (its regular expression, in linear time: hostile segments of 64 KiB stay cheap): `[section]` headers, skipped,
    /// and `key=value` pairs, keys of letters, digits, `_`, `#` and `-`, values of printable
    /// ASCII ending (lazily) where blanks and then a line break, NUL, `[`, the next `key=` or
    /// the end follow.
    static func pairs(_ b: [UInt8]) -> [(String, String)] {
        let n = b.count
        func isKey(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x23 || c == 0x2D
        }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        // From the right: where each key run ends, where each blank run ends, and whether a
        // blank run holds a line break.
        var keyRunEnd = [Int](repeating: n, count: n + 1)
        var spaceRunEnd = [Int](repeating: n, count: n + 1)
        var breakAhead = [Bool](repeating: false, count: n + 1)
        // And where the next `]` or line feed is, for section headers.
        var headerEnd = [Int](repeating: n, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            headerEnd[i] = b[i] == 0x5D || b[i] == 0x0A ? i : headerEnd[i + 1]
            keyRunEnd[i] = isKey(b[i]) ? keyRunEnd[i + 1] : i
            spaceRunEnd[i] = isSpace(b[i]) ? spaceRunEnd[i + 1] : i
            breakAhead[i] = isSpace(b[i]) && (b[i] == 0x0A || b[i] == 0x0D || breakAhead[i + 1])
        }
        func keyStarts(_ i: Int) -> Bool { i < n && isKey(b[i]) && keyRunEnd[i] < n && b[keyRunEnd[i]] == 0x3D }
        func valueEnds(_ p: Int) -> Bool {
            if breakAhead[p] { return true }
            let k = spaceRunEnd[p]
            return k == n || b[k] == 0 || b[k] == 0x5B || keyStarts(k)
        }
        func printable(_ p: Int) -> Bool { p < n && b[p] >= 0x20 && b[p] <= 0x7E }

        var result: [(String, String)] = []
        var i = 0
        while i < n {
            if b[i] == 0x5B {
                // A section header: `[` to the next `]` on the same line.
                let j = headerEnd[i + 1]
                if j < n, b[j] == 0x5D { i = j + 1; continue }
            }
            guard keyStarts(i), i == 0 || !isKey(b[i - 1]) else { i += 1; continue }
            let eq = keyRunEnd[i]
            var p = eq + 1
            guard printable(p) else { i = eq + 1; continue }
            p += 1
            while !valueEnds(p), printable(p) { p += 1 }
            if valueEnds(p) {
                result.append((String(decoding: b[i ..< eq], as: UTF8.self), String(decoding: b[eq + 1 ..< p], as: UTF8.self)))
                i = p
            } else {
                i = eq + 1
            }
        }
        return result
    }

    /// A plain decimal (digits, at most one point), finite; nil otherwise.
    static func decimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 32,
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Seconds since 1970 as a UTC `YYYY-MM-DDTHH:MM:SS` (proleptic Gregorian), for years up
    /// to 9999; nil beyond.
    static func utcDate(_ seconds: Int64) -> String? {
        guard seconds >= 0, seconds < 253_402_300_800 else { return nil }
        let days = seconds / 86_400, rest = seconds % 86_400
        let (year, month, day) = CivilCalendar.civil(days: days)
        func pad<N: BinaryInteger>(_ n: N, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))"
    }
}
