import ImgrepoCore

extension ExifSummary {
    /// The summary of a payload's entries, following `exiftool -n`: tags found by number in the
    /// IFD the standard puts them in, so tags newer than libexif's tables are found too.
    /// `makerNote` (libexif's interpretation of the MakerNote) only fills gaps: ISO and lens
    /// (ExifSummary+MakerNote.swift).
    /// `nikonLens` is Nikon's Lens read exactly (`NikonMakerNote`), preferred to libexif's
    /// rounded rendering of the same tag.
    init(entries: [RawExifEntry], makerNote: [MakerNoteEntry] = [], nikonLens: [Double?]? = nil) {
        self.init()
        var index: [Key: RawExifEntry] = [:]
        for entry in entries {
            let key = Key(ifd: entry.ifd, tag: entry.tag)
            // The first of a duplicated tag wins, as in exiftool.
            if index[key] == nil { index[key] = entry }
        }
        func ifd0(_ tag: Int) -> RawExifEntry? { index[Key(ifd: .ifd0, tag: tag)] }
        func exif(_ tag: Int) -> RawExifEntry? { index[Key(ifd: .exif, tag: tag)] }
        func gps(_ tag: Int) -> RawExifEntry? { index[Key(ifd: .gps, tag: tag)] }

        make = ifd0(0x010F)?.string
        model = ifd0(0x0110)?.string
        // Lens: EXIF's LensModel, else a lens model the maker note names, else a description
        // of EXIF's LensInfo, else of a LensInfo-style maker-note value (docs/metadata.md).
        lens = exif(0xA434)?.string ?? Self.makerNoteLensModel(makerNote)
            ?? Self.lensDescription(lensInfo: exif(0xA432)) ?? nikonLens.flatMap(Self.lensDescription)
            ?? Self.makerNoteLensDescription(makerNote)
        software = ifd0(0x0131)?.string
        artist = ifd0(0x013B)?.string
        copyright = ifd0(0x8298)?.string

        // Capture time: DateTimeOriginal, else DateTimeDigitized, else DateTime, each with its
        // own sub-second and offset tags.
        let sources: [(date: RawExifEntry?, subSec: RawExifEntry?, offset: RawExifEntry?, tag: String)] = [
            (exif(0x9003), exif(0x9291), exif(0x9011), "EXIF:DateTimeOriginal"),
            (exif(0x9004), exif(0x9292), exif(0x9012), "EXIF:CreateDate"),
            (ifd0(0x0132), exif(0x9290), exif(0x9010), Self.modifyDateTag),
        ]
        for source in sources {
            guard let text = source.date?.string, let local = Self.isoLocalTime(exif: text) else { continue }
            takenLocal = local + (Self.fraction(subSec: source.subSec?.string) ?? "")
            takenOffset = source.offset?.string.flatMap(Self.utcOffset)
            takenTag = source.tag
            break
        }

        exposureTime = exif(0x829A)?.firstValue
        fNumber = exif(0x829D)?.firstValue
        focalLength = exif(0x920A)?.firstValue
        // FocalLengthIn35mmFormat: 0 means "unknown" in the standard.
        if let value = exif(0xA405)?.firstValue, value > 0, value <= 100_000, value.rounded() == value {
            focalLength35mm = Int(value)
        }
        if let value = exif(0x9209)?.firstValue, value >= 0, value <= 0xFFFF, value.rounded() == value {
            flash = Int(value)
        }
        // ISO: PhotographicSensitivity (EXIF 2.2's ISOSpeedRatings, the same tag) in the Exif
        // IFD, else where some writers misplace it (IFD0), else the maker note, as exiftool does.
        if let value = (exif(0x8827) ?? ifd0(0x8827))?.firstValue, value >= 0, value <= Double(Int32.max) {
            iso = value
        } else {
            iso = Self.makerNoteISO(makerNote, make: make)
        }
        if let value = ifd0(0x0112)?.firstValue, (1...8).contains(value), value.rounded() == value {
            orientation = Int(value)
        }

        if let degrees = Self.coordinate(gps(0x0002)), abs(degrees) <= 90 {
            gpsLatitude = gps(0x0001)?.string?.uppercased().hasPrefix("S") == true ? -degrees : degrees
        }
        if let degrees = Self.coordinate(gps(0x0004)), abs(degrees) <= 180 {
            gpsLongitude = gps(0x0003)?.string?.uppercased().hasPrefix("W") == true ? -degrees : degrees
        }
        gpsDateTime = Self.gpsInstant(date: gps(0x001D)?.string, time: gps(0x0007))
        if let metres = gps(0x0006)?.firstValue {
            gpsAltitude = gps(0x0005)?.firstValue == 1 ? -metres : metres
        }
    }

    private struct Key: Hashable {
        var ifd: ExifIFD
        var tag: Int
    }

    /// `2023:06:01 12:34:56` as `2023-06-01T12:34:56`; nil unless it is a real date and time.
    /// Cameras with unset clocks write zeros or blanks, which mean "unknown".
    static func isoLocalTime(exif text: String) -> String? {
        let b = Array(text.utf8)
        guard b.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        // Some writers use dashes or slashes in the date part; exiftool accepts any separator.
        guard [4, 7].allSatisfy({ [0x3A, 0x2D, 0x2F].contains(b[$0]) }), b[10] == 0x20 || b[10] == 0x54,
              b[13] == 0x3A, b[16] == 0x3A,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              year > 0, (1...12).contains(month), (1...31).contains(day),
              hour <= 24, minute <= 59, second <= 60 else { return nil }
        let s = Array(text.utf8.prefix(19))
        let date = String(decoding: s[0..<4], as: UTF8.self) + "-" + String(decoding: s[5..<7], as: UTF8.self)
            + "-" + String(decoding: s[8..<10], as: UTF8.self)
        return date + "T" + String(decoding: s[11..<19], as: UTF8.self)
    }

    /// `.123` for a SubSecTime of digits (at most six kept: timestamps hold microseconds).
    static func fraction(subSec text: String?) -> String? {
        guard let digits = text?.trimmingSpaces, !digits.isEmpty,
              digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return "." + digits.prefix(6)
    }

    /// An OffsetTime value when it is `±HH:MM` with a plausible offset, else nil.
    static func utcOffset(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard b.count == 6, b[0] == 0x2B || b[0] == 0x2D, b[3] == 0x3A,
              [1, 2, 4, 5].allSatisfy({ b[$0] >= 0x30 && b[$0] <= 0x39 }) else { return nil }
        let hours = Int(b[1] - 0x30) * 10 + Int(b[2] - 0x30)
        let minutes = Int(b[4] - 0x30) * 10 + Int(b[5] - 0x30)
        guard hours <= 14, minutes <= 59 else { return nil }
        return text
    }

    /// Degrees from a GPS coordinate of three rationals (degrees, minutes, seconds), signed or
    /// unsigned; nil when any part is missing or has a zero denominator.
    /// GPSDateStamp (`2023:06:01`) and GPSTimeStamp (three rationals: hours, minutes, seconds)
    /// as an instant in UTC, exiftool's Composite:GPSDateTime; nil unless both are present and
    /// in range. Seconds keep up to 6 fractional digits.
    static func gpsInstant(date: String?, time: RawExifEntry?) -> Timestamp? {
        guard let date, let local = isoLocalTime(exif: date.prefix(10) + " 00:00:00"),
              let time, time.values.count >= 3,
              let h = time.values[0], let m = time.values[1], let s = time.values[2],
              h.isFinite, m.isFinite, s.isFinite, (0..<24).contains(h), (0..<60).contains(m), s >= 0, s < 61,
              h.rounded() == h, m.rounded() == m else { return nil }
        let micros = Int64((s * 1_000_000).rounded())
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = local.prefix(10) + "T" + two(Int64(h)) + ":" + two(Int64(m)) + ":" + two(min(micros / 1_000_000, 59))
        if micros % 1_000_000 != 0 {
            let fraction = String(micros % 1_000_000)
            text += "." + String(repeating: "0", count: 6 - fraction.count) + fraction
        }
        return Timestamp(iso8601: text + "Z")
    }

    static func coordinate(_ entry: RawExifEntry?) -> Double? {
        guard let entry, entry.fieldType == .rational || entry.fieldType == .srational,
              entry.values.count >= 3,
              let degrees = entry.values[0], let minutes = entry.values[1], let seconds = entry.values[2] else { return nil }
        let value = degrees + minutes / 60 + seconds / 3600
        return value.isFinite ? value : nil
    }
}

extension RawExifEntry {
    /// The first numeric component, when there is one and it is finite.
    var firstValue: Double? {
        guard let first = values.first, let value = first, value.isFinite else { return nil }
        return value
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
