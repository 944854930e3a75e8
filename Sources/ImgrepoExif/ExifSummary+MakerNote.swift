import ImgrepoCore

/// The summary fields libexif's interpretation of a maker note gives (`LibexifDocument.makerNote`:
/// libexif's tag number, name and rendered text per entry), by exiftool's rules for the tags
/// libexif decodes. Only values libexif renders as numbers or text are used; words (`Auto`) and
/// complaints (`Invalid format …`, `Internal error (unknown value …)`) are skipped. What
/// libexif 0.6.24 does not decode (Olympus's Equipment and CameraSettings directories, Nikon's
/// LensData, Pentax's LensInfo blocks) cannot be read here: see docs/metadata.md.
extension ExifSummary {
    /// The ISO a maker note gives (a payload has one maker note, so the makers never compete):
    ///
    /// - Canon (libexif's canon module, ids 0x0001 CameraSettings and 0x0004 ShotInfo): CameraISO
    ///   (`ISO`) when it is a number, else BaseISO × AutoISO / 100 (`Shot ISO` × `Auto ISO`,
    ///   the latter already divided by 100): exiftool's Composite ISO, rounded here (libexif
    ///   renders the factors rounded; our own `CanonMakerNote` gives the exact value first).
    /// - Casio type 2 (`QVC\0`): the 0x0014 code below, else `CCSISOSensitivity` (0x3014), the
    ///   order in which exiftool meets its two ISO tags (both priority 0, so the first stays).
    /// - Nikon types 2 and 3 (0x0002, exiftool's Nikon ISO, "the ISO actually used by the
    ///   camera"): two int16u, of which exiftool prints the second (the first is 1 in "Hi ISO"
    ///   modes); libexif renders the second as `ISO %hd`, signed, so 40000 comes out as
    ///   `ISO -25536` and is unwrapped. 0 means unknown (exiftool drops an all-zero value).
    ///   With `-n` exiftool reports the raw pair (`0 400`), which is not a number: we report the
    ///   number it prints. libexif's second `ISO` (0x0013, `ISO2 …`) is exiftool's ISOSetting.
    /// - Pentax (`AOC\0`) and Casio type 2 (0x0014, libexif's id 0x4014, `ISO`): a code that
    ///   exiftool's Pentax::Main table turns into the ISO speed (9 → 200, 264 → 400, …; Casio's
    ///   table holds the same codes 3, 4, 6 and 9). exiftool `-n` reports the bare code (and
    ///   above EXIF's ISO, since the tag has default priority); a code is not an ISO speed, so
    ///   we take the printed value, and only where EXIF has no ISO.
    /// - Pentax type 1 (Optio 330 and 430, Make `Asahi…`, exiftool's Pentax::Type2; libexif's
    ///   `ISOSpeed`, id 0x0014): libexif turns codes 10 and 16 into `100` and `200`, as
    ///   exiftool's table does; other codes are libexif complaints, skipped.
    ///
    /// Olympus's ISOValue (0x1001) is not exiftool's ISO (a separate tag of priority 0), and
    /// Fujifilm's maker note has no ISO in exiftool: neither is used.
    static func makerNoteISO(_ entries: [MakerNoteEntry], make: String?) -> Double? {
        func entry(_ name: String, id: Int? = nil) -> MakerNoteEntry? {
            entries.first { $0.name == name && (id == nil || $0.id == id) }
        }
        // Canon's CameraISO 0 means "not recorded" (exiftool skips it too); Casio's 0 is a value.
        if let iso = plainNumber(entry("ISO", id: 0x0001)?.value).flatMap({ $0 > 0 ? $0 : nil }) {
            return iso.rounded()
        }
        // Casio type 2 has both 0x0014 and 0x3014, each exiftool's ISO at priority 0: the first
        // in the note, 0x0014, is the one exiftool reports.
        if let code = plainNumber(entry("ISO", id: 0x4014)?.value), code.rounded() == code,
           let iso = pentaxISOCodes[Int(code)] {
            return Double(iso)
        }
        if let iso = plainNumber(entry("CCSISOSensitivity")?.value) {
            return iso.rounded()
        }
        if let base = plainNumber(entry("Shot ISO")?.value), let auto = plainNumber(entry("Auto ISO")?.value) {
            let iso = (base * auto).rounded()
            return iso <= Double(Int32.max) ? iso : nil
        }
        if let iso = nikonISO(entry("ISO", id: 0x0002)?.value) {
            return Double(iso)
        }
        if make?.hasPrefix("Asahi") == true, let iso = plainNumber(entry("ISOSpeed", id: 0x0014)?.value), iso > 0 {
            return iso
        }
        return nil
    }

    /// A lens model the maker note names, exiftool's LensModel: Canon's 0x0095 (libexif's
    /// `LensModel`, rendered as the string), trailing spaces trimmed; nil when empty.
    /// The other makers libexif decodes keep no lens model where libexif reads: Olympus's is in
    /// the Equipment directory, Nikon's in LensData, Pentax's in the Pentax Q's LensInfo block,
    /// and Fujifilm's note has none.
    static func makerNoteLensModel(_ entries: [MakerNoteEntry]) -> String? {
        guard var text = entries.first(where: { $0.id == 0x0095 && $0.name == "LensModel" })?.value[...] else {
            return nil
        }
        while let last = text.last, last == " " || last == "\t" || last == "\n" || last == "\r" { text.removeLast() }
        return text.isEmpty ? nil : String(text)
    }

    /// A lens description from a LensInfo-style maker-note value: Nikon's Lens (0x0084, the
    /// same four rationals as EXIF's LensInfo, printed by exiftool with PrintLensInfo), as
    /// libexif renders it: `%ld-%ldmm 1:%3.1f - %3.1f`. libexif's rendering is coarser than the
    /// rationals: focal lengths are cut to whole millimetres (a 10.5 mm lens reads `10mm`) and
    /// apertures rounded to a tenth; a 0 (libexif's reading of an unknown 0/0) becomes `?`.
    static func makerNoteLensDescription(_ entries: [MakerNoteEntry]) -> String? {
        guard let text = entries.first(where: { $0.id == 0x0084 && $0.name == "Lens" })?.value,
              let values = nikonLensValues(text) else { return nil }
        return lensDescription(values.map { $0 > 0 ? $0 : nil })
    }

    /// The four numbers of libexif's Nikon Lens rendering (`18-70mm 1:3.5 - 4.5`); nil for
    /// anything else (a complaint, `nan`, a sign).
    static func nikonLensValues(_ text: String) -> [Double]? {
        var rest = Substring(text)
        func number() -> Double? {
            let digits = rest.prefix { ($0 >= "0" && $0 <= "9") || $0 == "." }
            guard !digits.isEmpty, digits.utf8.count <= 32, let value = Double(digits), value.isFinite else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
        func literal(_ expected: String) -> Bool {
            guard rest.hasPrefix(expected) else { return false }
            rest = rest.dropFirst(expected.count)
            return true
        }
        guard let a = number(), literal("-"), let b = number(), literal("mm 1:"), let c = number(),
              literal(" - "), let d = number(), rest.isEmpty else { return nil }
        return [a, b, c, d]
    }

    /// Nikon's ISO from libexif's `ISO %hd` rendering: the 16-bit value, unwrapped when libexif
    /// printed it negative; nil for 0 (unknown) or anything else.
    static func nikonISO(_ text: String?) -> Int? {
        guard let text, text.hasPrefix("ISO ") else { return nil }
        var digits = text.dropFirst(4)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        // `%hd` prints -32768 … 32767: the int16u values 32768 … 65535 come out negative.
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }),
              let magnitude = Int(digits), magnitude <= (negative ? 32768 : 32767) else { return nil }
        let value = negative ? 65536 - magnitude : magnitude
        return value > 0 ? value : nil
    }

    /// A maker-note value that is a plain decimal (surrounding spaces ignored), at most
    /// `Int32.max`; nil for words, hex (`0x0000`, which Swift's `Double` would read), signs and
    /// lists.
    static func plainNumber(_ text: String?) -> Double? {
        guard let text = text?.trimmingSpaces, !text.isEmpty, text.utf8.count <= 32,
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
              let value = Double(text), value.isFinite, value <= Double(Int32.max) else { return nil }
        return value
    }

    /// exiftool's Pentax::Main ISO (0x0014) table, its numeric entries: 1/3 EV codes 3–45,
    /// the Optio 330/430's literal values, 1/2 EV codes 258–286.
    static let pentaxISOCodes: [Int: Int] = [
        3: 50, 4: 64, 5: 80, 6: 100, 7: 125, 8: 160, 9: 200, 10: 250, 11: 320, 12: 400, 13: 500, 14: 640,
        15: 800, 16: 1000, 17: 1250, 18: 1600, 19: 2000, 20: 2500, 21: 3200, 22: 4000, 23: 5000, 24: 6400,
        25: 8000, 26: 10000, 27: 12800, 28: 16000, 29: 20000, 30: 25600, 31: 32000, 32: 40000, 33: 51200,
        34: 64000, 35: 80000, 36: 102400, 37: 128000, 38: 160000, 39: 204800, 40: 256000, 41: 320000,
        42: 409600, 43: 512000, 44: 640000, 45: 819200,
        50: 50, 100: 100, 200: 200, 400: 400, 800: 800, 1600: 1600, 3200: 3200,
        258: 50, 259: 70, 260: 100, 261: 140, 262: 200, 263: 280, 264: 400, 265: 560, 266: 800, 267: 1100,
        268: 1600, 269: 2200, 270: 3200, 271: 4500, 272: 6400, 273: 9000, 274: 12800, 275: 18000,
        276: 25600, 277: 36000, 278: 51200, 279: 72000, 280: 102400, 281: 144000, 282: 204800,
        283: 288000, 284: 409600, 285: 576000, 286: 819200,
    ]
}
