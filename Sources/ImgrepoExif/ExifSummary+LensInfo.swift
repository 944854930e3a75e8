import ImgrepoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExifSummary {
    /// A lens description from EXIF's LensInfo (0xA432, EXIF 2.3's LensSpecification): four
    /// rationals, the shortest and longest focal length and the widest aperture at each.
    /// nil unless the tag holds exactly four RATIONAL or SRATIONAL values.
    static func lensDescription(lensInfo entry: RawExifEntry?) -> String? {
        guard let entry, entry.fieldType == .rational || entry.fieldType == .srational,
              entry.components == 4, entry.values.count == 4 else { return nil }
        return lensDescription(entry.values)
    }

    /// Four LensInfo-style values (focal lengths in mm, then f-numbers) as exiftool's
    /// PrintLensInfo (Exif.pm) prints them: `18-70mm f/3.5-4.5`; one focal length or aperture
    /// when both are equal (`100mm f/2.8`) or the second is 0; each number as exiftool reads a
    /// rational (`%.10g`: `1.539999962`, trailing zeros dropped); `?` for an unknown value (a
    /// zero denominator, nil here). nil unless there are four values and the shortest focal
    /// length is a known positive number: exiftool would print `0mm f/0` or `?mm f/?`, which
    /// names no lens.
    static func lensDescription(_ values: [Double?]) -> String? {
        guard values.count == 4, let shortest = values[0], shortest.isFinite, shortest > 0 else { return nil }
        let v = values.map { value -> String in
            guard let value, value.isFinite else { return "?" }
            return exiftoolNumber(value)
        }
        // Perl's truth: "" and "0" are false, anything else ("?", "-0", "0.5") true.
        func truthy(_ s: String) -> Bool { !s.isEmpty && s != "0" }
        var text = v[0]
        if truthy(v[1]) && v[1] != v[0] { text += "-" + v[1] }
        text += "mm f/" + v[2]
        if truthy(v[3]) && v[3] != v[2] { text += "-" + v[3] }
        return text
    }

    /// `value` as exiftool prints a rational it read: `sprintf("%.10g")` (RoundFloat, 10
    /// significant digits).
    static func exiftoolNumber(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 48)
        let written = buffer.withUnsafeMutableBufferPointer { b -> Int in
            guard let base = b.baseAddress else { return 0 }
            let n = withVaList([value]) { vsnprintf(base, b.count, "%.10g", $0) }
            return n < 0 ? 0 : min(Int(n), b.count - 1)
        }
        return String(decoding: buffer.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
