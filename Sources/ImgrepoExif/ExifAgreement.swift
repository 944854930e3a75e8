import ImageProbe
import ImgrepoCore

/// A field the conformance check compares with `exiftool -n`, named as exiftool names it.
public enum ExifCheckField: String, CaseIterable, Sendable, Comparable {
    case make = "Make", model = "Model", lensModel = "LensModel"
    case dateTimeOriginal = "DateTimeOriginal", subSecTimeOriginal = "SubSecTimeOriginal"
    case offsetTimeOriginal = "OffsetTimeOriginal"
    case exposureTime = "ExposureTime", fNumber = "FNumber", iso = "ISO", focalLength = "FocalLength"
    case focalLength35mm = "FocalLengthIn35mmFormat", flash = "Flash"
    case orientation = "Orientation"
    case gpsLatitude = "GPSLatitude", gpsLongitude = "GPSLongitude", gpsAltitude = "GPSAltitude"
    case imageWidth = "ImageWidth", imageHeight = "ImageHeight"

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// exiftool's value for this field out of its `-json -n` object for one file. The capture
    /// time falls back as ours does (DateTimeOriginal, CreateDate, ModifyDate); a date of
    /// zeros or blanks, which cameras with unset clocks write, counts as no value.
    public func reference(in tags: [String: ExifCheckValue]) -> ExifCheckValue? {
        switch self {
        case .dateTimeOriginal:
            for key in ["DateTimeOriginal", "CreateDate", "ModifyDate"] {
                if case .text(let t)? = tags[key], ExifSummary.isoLocalTime(exif: t) != nil {
                    return .text(String(t.prefix(19)))
                }
            }
            return nil
        default:
            return tags[rawValue]
        }
    }
}

/// One value on either side of the comparison.
public enum ExifCheckValue: Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case number(Double)

    public var description: String {
        switch self {
        case .text(let t): t
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        }
    }

    /// Whether `self` (ours) agrees with `reference` (exiftool's): text exactly, numbers within
    /// half a unit of the last digit exiftool printed (Swift prints a parsed double with the
    /// same shortest digits). A number and text agree when the text is that number.
    public func agrees(with reference: ExifCheckValue) -> Bool {
        switch (self, reference) {
        case let (.text(a), .text(b)):
            return a == b
        case let (.number(a), .number(b)):
            return abs(a - b) <= Self.tolerance(printed: b)
        case let (.number(a), .text(b)):
            return Double(b).map { abs(a - $0) <= Self.tolerance(printed: $0) } ?? false
        case let (.text(a), .number(b)):
            return Double(a).map { abs($0 - b) <= Self.tolerance(printed: b) } ?? false
        }
    }

    /// Half a unit in the last printed place of `value`, plus a little for binary rounding.
    static func tolerance(printed value: Double) -> Double {
        let text = String(value)
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var decimals = 0
        if let dot = mantissa.firstIndex(of: ".") {
            let fraction = mantissa[mantissa.index(after: dot)...]
            decimals = fraction == "0" ? 0 : fraction.count
        }
        var unit = 1.0
        for _ in 0 ..< abs(decimals - exponent) { unit = decimals - exponent > 0 ? unit / 10 : unit * 10 }
        return unit / 2 * (1 + 1e-9) + abs(value) * 1e-12
    }
}

/// Our side of the comparison: the fields upload stores, in exiftool's `-n` form.
public enum ExifCheck {
    /// The values upload would record for a file whose headers gave `info` and whose EXIF
    /// decoded to `exif`.
    public static func values(info: ImageInfo, exif: ImgrepoCore.ExifData) -> [ExifCheckField: ExifCheckValue] {
        let s = exif.summary
        var v: [ExifCheckField: ExifCheckValue] = [:]
        v[.make] = s.make.map(ExifCheckValue.text)
        v[.model] = s.model.map(ExifCheckValue.text)
        v[.lensModel] = s.lens.map(ExifCheckValue.text)
        if let local = s.takenLocal {
            var date = Array(local.prefix(19))
            if date.count == 19 { date[4] = ":"; date[7] = ":"; date[10] = " " }
            v[.dateTimeOriginal] = .text(String(date))
            if let dot = local.firstIndex(of: ".") { v[.subSecTimeOriginal] = .text(String(local[local.index(after: dot)...])) }
        }
        v[.offsetTimeOriginal] = s.takenOffset.map(ExifCheckValue.text)
        v[.exposureTime] = s.exposureTime.map(ExifCheckValue.number)
        v[.fNumber] = s.fNumber.map(ExifCheckValue.number)
        v[.iso] = s.iso.map(ExifCheckValue.number)
        v[.focalLength] = s.focalLength.map(ExifCheckValue.number)
        v[.focalLength35mm] = s.focalLength35mm.map { .number(Double($0)) }
        v[.flash] = s.flash.map { .number(Double($0)) }
        v[.orientation] = s.orientation.map { .number(Double($0)) }
        v[.gpsLatitude] = s.gpsLatitude.map(ExifCheckValue.number)
        v[.gpsLongitude] = s.gpsLongitude.map(ExifCheckValue.number)
        v[.gpsAltitude] = s.gpsAltitude.map(ExifCheckValue.number)
        v[.imageWidth] = info.width.map { .number(Double($0)) }
        v[.imageHeight] = info.height.map { .number(Double($0)) }
        return v
    }

    /// Inspects and decodes a whole file held in memory with the parsers and decoders upload
    /// uses (`ImageInspector` fed in upload's 1 MiB chunks, then `LibexifDecoder`, and `xmp`
    /// for the XMP packet, merged as upload merges it); nil when the bytes are not an image
    /// imgrepo knows.
    public static func values(ofFile bytes: [UInt8], xmp: (any XMPDecoding)? = nil) -> [ExifCheckField: ExifCheckValue]? {
        guard let info = ImageInspector.inspect(bytes, chunkSize: 1 << 20) else { return nil }
        return values(info: info, xmp: xmp)
    }

    /// The values for a file already inspected: its EXIF decoded by `LibexifDecoder`, its XMP
    /// by `xmp`, its APP12 Picture Info and its Canon CIFF heap, merged as upload merges them.
    public static func values(info: ImageInfo, xmp: (any XMPDecoding)?) -> [ExifCheckField: ExifCheckValue] {
        var exif = info.exif.map { LibexifDecoder().decode(tiff: $0) } ?? .absent
        if let xmp, let packet = info.xmp {
            exif.summary.merge(xmp: xmp.decode(xmp: packet).summary)
        }
        exif.summary.merge(pictureInfo: info.pictureInfo)
        exif.summary.merge(canonCIFF: info.canonCIFF)
        return values(info: info, exif: exif)
    }
}

/// The tally of a conformance run: per field, how many files exiftool has a value for and in
/// how many ours agrees, and every disagreement.
public struct ExifAgreementReport: Sendable {
    public struct Tally: Sendable, Hashable {
        /// Files where exiftool has a value.
        public var compared = 0
        public var agreed = 0
        /// Files where we have a value and exiftool has none (not counted as disagreement).
        public var oursOnly = 0

        public var rate: Double { compared == 0 ? 1 : Double(agreed) / Double(compared) }
    }

    public struct Disagreement: Sendable, Hashable {
        public var file: String
        public var field: ExifCheckField
        public var ours: ExifCheckValue?
        public var reference: ExifCheckValue
    }

    public private(set) var files = 0
    public private(set) var tallies: [ExifCheckField: Tally] = [:]
    public private(set) var disagreements: [Disagreement] = []

    public init() {}

    /// Adds one file: `ours` from `ExifCheck.values`, `reference` exiftool's object for it.
    public mutating func add(file: String, ours: [ExifCheckField: ExifCheckValue], reference: [String: ExifCheckValue]) {
        files += 1
        for field in ExifCheckField.allCases {
            var tally = tallies[field] ?? Tally()
            defer { tallies[field] = tally }
            guard let theirs = field.reference(in: reference) else {
                if ours[field] != nil { tally.oursOnly += 1 }
                continue
            }
            tally.compared += 1
            if let mine = ours[field], mine.agrees(with: theirs) {
                tally.agreed += 1
            } else {
                disagreements.append(Disagreement(file: file, field: field, ours: ours[field], reference: theirs))
            }
        }
    }

    /// All fields together.
    public var total: Tally {
        tallies.values.reduce(into: Tally()) {
            $0.compared += $1.compared; $0.agreed += $1.agreed; $0.oursOnly += $1.oursOnly
        }
    }

    /// A Markdown table (field, compared, agreed, %, ours only), then each disagreement.
    public func markdown() -> String {
        func percent(_ t: Tally) -> String {
            guard t.compared > 0 else { return "–" }
            let tenths = (t.rate * 1000).rounded()
            return "\(Int(tenths) / 10).\(Int(tenths) % 10)"
        }
        var lines = ["| field | compared | agreed | % | ours only |", "|---|---:|---:|---:|---:|"]
        for field in ExifCheckField.allCases {
            let t = tallies[field] ?? Tally()
            lines.append("| \(field.rawValue) | \(t.compared) | \(t.agreed) | \(percent(t)) | \(t.oursOnly) |")
        }
        let t = total
        lines.append("| **all** | \(t.compared) | \(t.agreed) | \(percent(t)) | \(t.oursOnly) |")
        lines.append("")
        lines.append("\(files) files, \(disagreements.count) disagreements.")
        if !disagreements.isEmpty {
            lines += ["", "| file | field | ours | exiftool |", "|---|---|---|---|"]
            for d in disagreements.sorted(by: { ($0.file, $0.field) < ($1.file, $1.field) }) {
                lines.append("| \(d.file) | \(d.field.rawValue) | \(d.ours?.description ?? "–") | \(d.reference) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
