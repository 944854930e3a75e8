import Foundation
import ImgrepoCore
@testable import ImgrepoExif
import Testing

// Maker notes as libexif and exiftool expect them (exiftool's MakerNotes.pm conditions, libexif's
// identify functions), built field by field so each test states the bytes the readers meet.

/// An IFD the way a maker note holds it: entries sorted by tag, values longer than 4 bytes after
/// the IFD, their offsets written as `start` (the IFD's position as the note's readers count it)
/// plus their distance from the IFD's first byte.
func noteIFD(_ fields: [TIFFBuilder.Field], bigEndian: Bool, start: Int) -> [UInt8] {
    var b = TIFFBuilder()
    b.bigEndian = bigEndian
    let sorted = fields.sorted { $0.tag < $1.tag }
    var out = b.u16(UInt16(sorted.count))
    var extra: [UInt8] = []
    let extraStart = start + 2 + 12 * sorted.count + 4
    for f in sorted {
        out += b.u16(f.tag) + b.u16(f.type) + b.u32(f.count)
        if f.data.count > 4 {
            out += b.u32(UInt32(extraStart + extra.count))
            extra += f.data
            if extra.count % 2 == 1 { extra.append(0) }
        } else {
            out += f.data + [UInt8](repeating: 0, count: 4 - f.data.count)
        }
    }
    return out + b.u32(0) + extra
}

/// A field builder in one byte order.
func fields(bigEndian: Bool) -> TIFFBuilder {
    var b = TIFFBuilder()
    b.bigEndian = bigEndian
    return b
}

/// Nikon's type 3 maker note (D70 onwards, most Coolpix): `Nikon\0`, version 2.10, two unused
/// bytes, then a TIFF header of its own whose offsets count from that header.
func nikonNote(_ entries: [TIFFBuilder.Field], bigEndian: Bool = true) -> [UInt8] {
    let b = fields(bigEndian: bigEndian)
    return Array("Nikon".utf8) + [0, 0x02, 0x10, 0, 0] + (bigEndian ? Array("MM\0*".utf8) : Array("II*\0".utf8))
        + b.u32(8) + noteIFD(entries, bigEndian: bigEndian, start: 8)
}

/// Nikon's ISO (0x0002, two int16u), ISOSetting (0x0013) and Lens (0x0084, four rationals).
func nikonEntries(iso: (UInt16, UInt16)? = (0, 400), isoSetting: (UInt16, UInt16)? = nil,
                  lens: [(UInt32, UInt32)]? = nil, bigEndian: Bool = true) -> [TIFFBuilder.Field] {
    let b = fields(bigEndian: bigEndian)
    var out = [TIFFBuilder.Field(tag: 0x0001, type: 7, count: 4, data: Array("0210".utf8))]
    if let iso { out.append(b.short(0x0002, iso.0, iso.1)) }
    if let isoSetting { out.append(b.short(0x0013, isoSetting.0, isoSetting.1)) }
    if let lens { out.append(TIFFBuilder.Field(tag: 0x0084, type: 5, count: UInt32(lens.count),
                                               data: lens.flatMap { b.u32($0.0) + b.u32($0.1) })) }
    return out
}

/// Pentax's maker note (`AOC\0` and a byte-order mark; offsets from the TIFF header):
/// ISO (0x0014) is a code of exiftool's Pentax table, LensType (0x003F) two bytes.
func pentaxNote(isoCode: UInt16, bigEndian: Bool = true) -> (Int) -> [UInt8] {
    { offset in
        let b = fields(bigEndian: bigEndian)
        return Array("AOC\0".utf8) + (bigEndian ? Array("MM".utf8) : Array("II".utf8))
            + noteIFD([b.short(0x0014, isoCode), b.byte(0x003F, 3, 44)], bigEndian: bigEndian, start: offset + 6)
    }
}

/// The Optio 330/430's note (Make `Asahi…`): a bare IFD of 27 entries, big-endian, which
/// libexif reads as its Pentax type 1 (it starts `00 1b`); ISO (0x0014) is a code.
func asahiNote(isoCode: UInt16) -> (Int) -> [UInt8] {
    { offset in
        let b = fields(bigEndian: true)
        let filler = (0 ..< 26).map { b.short(UInt16(0x0030 + $0), 0) }
        return noteIFD(filler + [b.short(0x0014, isoCode)], bigEndian: true, start: offset)
    }
}

/// Casio's type 2 note (`QVC\0`, two bytes, an IFD with offsets from the TIFF header):
/// 0x0014 is a code (exiftool's Casio::Type2 ISO), 0x3014 the ISO itself.
func casioNote(code: UInt16?, ccsISO: UInt16?) -> (Int) -> [UInt8] {
    { offset in
        let b = fields(bigEndian: true)
        var entries: [TIFFBuilder.Field] = []
        if let code { entries.append(b.short(0x0014, code)) }
        if let ccsISO { entries.append(b.short(0x3014, ccsISO)) }
        return Array("QVC\0".utf8) + [0, 0] + noteIFD(entries, bigEndian: true, start: offset + 6)
    }
}

/// Olympus's old note (`OLYMP\0`, version 1; offsets from the TIFF header): ISOValue (0x1001)
/// is an APEX srational, 6 meaning ISO 200.
func olympusNote(_ offset: Int) -> [UInt8] {
    let b = fields(bigEndian: false)
    return Array("OLYMP".utf8) + [0, 1, 0]
        + noteIFD([b.srational(0x1001, (6, 1))], bigEndian: false, start: offset + 8)
}

/// Fujifilm's note (`FUJIFILM`, the IFD's offset, little-endian, offsets from the note's start):
/// MinFocalLength, MaxFocalLength, MaxApertureAtMinFocal, MaxApertureAtMaxFocal (0x1404–0x1407).
func fujiNote(_ offset: Int) -> [UInt8] {
    let b = fields(bigEndian: false)
    let entries = [TIFFBuilder.Field(tag: 0x0000, type: 7, count: 4, data: Array("0130".utf8)),
                   b.rational(0x1404, (18, 1)), b.rational(0x1405, (55, 1)),
                   b.srational(0x1406, (28, 10)), b.srational(0x1407, (40, 10))]
    return Array("FUJIFILM".utf8) + b.u32(12) + noteIFD(entries, bigEndian: false, start: 12)
}

/// A JPEG holding `tiff` in APP1, for exiftool.
func jpeg(exif tiff: [UInt8]) -> [UInt8] {
    func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }
    return [0xFF, 0xD8] + segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff)
        + segment(0xC0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]) + segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0xFF, 0xD9]
}

/// exiftool's JSON for each payload, spliced into a JPEG: `-n` values, or printed ones.
func exiftool(_ payloads: [[UInt8]], numeric: Bool) throws -> [[String: Any]] {
    let exiftool = try #require(executableOnPath("exiftool"))
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    var paths: [String] = []
    for (k, payload) in payloads.enumerated() {
        paths.append(try folder.write(jpeg(exif: payload), named: "fixture\(k).jpg").path)
    }
    let bySource = try exiftoolJSON(exiftool, files: paths, numeric: numeric)
    return try paths.map { try #require(bySource[$0], "exiftool said nothing about \($0)") }
}

@Suite("ISO from Nikon, Pentax and Casio maker notes")
struct MakerNoteISOTests {
    static let nikonMake = "NIKON CORPORATION"

    func iso(_ payload: [UInt8]) -> Double? { LibexifDecoder().decode(tiff: payload).summary.iso }

    func nikon(_ entries: [TIFFBuilder.Field], exif: [TIFFBuilder.Field] = [], bigEndian: Bool = true) -> [UInt8] {
        makerNotePayload(make: Self.nikonMake, exif: exif) { _ in nikonNote(entries, bigEndian: bigEndian) }
    }

    @Test("Nikon's ISO (0x0002): the second value, as exiftool prints it")
    func nikon() {
        #expect(iso(nikon(nikonEntries())) == 400)
        #expect(iso(nikon(nikonEntries(bigEndian: false), bigEndian: false)) == 400)
    }

    @Test("Nikon's Hi ISO modes (first value 1) still give the second value")
    func nikonHi() { #expect(iso(nikon(nikonEntries(iso: (1, 6400)))) == 6400) }

    @Test("Nikon ISO values past 32767, which libexif prints negative, are unwrapped")
    func nikonLarge() {
        #expect(iso(nikon(nikonEntries(iso: (0, 40000)))) == 40000)
        #expect(iso(nikon(nikonEntries(iso: (0, 65535)))) == 65535)
    }

    @Test("Nikon's ISO 0 is unknown, and ISOSetting (0x0013) is not the ISO")
    func nikonNothing() {
        #expect(iso(nikon(nikonEntries(iso: (0, 0), isoSetting: (0, 400)))) == nil)
        #expect(iso(nikon(nikonEntries(iso: nil, isoSetting: (0, 400)))) == nil)
        // The wrong count: libexif complains, and nothing is taken.
        let b = fields(bigEndian: true)
        #expect(iso(nikon([b.short(0x0002, 0, 400, 0)])) == nil)
    }

    @Test("EXIF's ISO wins over Nikon's (exiftool gives Nikon's ISO priority 0)")
    func nikonExifFirst() {
        #expect(iso(nikon(nikonEntries(iso: (0, 800)), exif: [TIFFBuilder().short(0x8827, 200)])) == 200)
    }

    @Test("Pentax's ISO code through exiftool's table", arguments: [
        (UInt16(9), 200.0), (6, 100), (12, 400), (45, 819_200), (264, 400), (286, 819_200), (200, 200),
    ])
    func pentax(code: UInt16, expected: Double) {
        #expect(iso(makerNotePayload(make: "PENTAX Corporation", bigEndian: true, note: pentaxNote(isoCode: code))) == expected)
        #expect(iso(makerNotePayload(make: "PENTAX Corporation", note: pentaxNote(isoCode: code, bigEndian: false))) == expected)
    }

    @Test("Pentax codes exiftool's table does not know give nothing", arguments: [UInt16(0), 1, 2, 46, 257, 287, 65534, 65535])
    func pentaxUnknown(code: UInt16) {
        #expect(iso(makerNotePayload(make: "PENTAX Corporation", bigEndian: true, note: pentaxNote(isoCode: code))) == nil)
    }

    @Test("EXIF's ISO wins over Pentax's code (exiftool -n would report the code 12)")
    func pentaxExifFirst() {
        let payload = makerNotePayload(make: "PENTAX Corporation", exif: [fields(bigEndian: true).short(0x8827, 200)],
                                       bigEndian: true, note: pentaxNote(isoCode: 12))
        #expect(iso(payload) == 200)
    }

    @Test("Optio 330/430 (Make Asahi): libexif's ISOSpeed, codes 10 and 16")
    func asahi() {
        let make = "Asahi Optical Co.,Ltd"
        #expect(iso(makerNotePayload(make: make, bigEndian: true, note: asahiNote(isoCode: 10))) == 100)
        #expect(iso(makerNotePayload(make: make, bigEndian: true, note: asahiNote(isoCode: 16))) == 200)
        // libexif complains about codes it has no entry for ("Internal error (unknown value 400)").
        #expect(iso(makerNotePayload(make: make, bigEndian: true, note: asahiNote(isoCode: 400))) == nil)
        // Another Make: exiftool reads the note another way (Casio's raw ISO), so nothing is taken.
        #expect(iso(makerNotePayload(make: "CASIO", bigEndian: true, note: asahiNote(isoCode: 10))) == nil)
    }

    @Test("Casio type 2: the 0x0014 code first, as exiftool, else CCSISOSensitivity")
    func casio() {
        let make = "CASIO COMPUTER CO.,LTD."
        #expect(iso(makerNotePayload(make: make, bigEndian: true, note: casioNote(code: nil, ccsISO: 80))) == 80)
        #expect(iso(makerNotePayload(make: make, bigEndian: true, note: casioNote(code: 6, ccsISO: 80))) == 100)
        #expect(iso(makerNotePayload(make: make, bigEndian: true, note: casioNote(code: 1, ccsISO: 80))) == 80)
    }

    @Test("Olympus's ISOValue fills a missing ISO (100 × 2^(v − 5)); Fujifilm's note gives none")
    func olympusAndFuji() {
        #expect(iso(makerNotePayload(make: "OLYMPUS OPTICAL CO.,LTD", note: olympusNote)) == 200)
        #expect(iso(makerNotePayload(make: "FUJIFILM", bigEndian: true, note: fujiNote)) == nil)
        // EXIF's ISO comes first; another maker's note with the same bytes gives nothing.
        let b = fields(bigEndian: false)
        #expect(iso(makerNotePayload(make: "OLYMPUS OPTICAL CO.,LTD", exif: [b.short(0x8827, 400)], note: olympusNote)) == 400)
        #expect(iso(makerNotePayload(make: "SANYO Electric Co.,Ltd.", note: olympusNote)) == nil)
    }

    @Test("Olympus's newer layout (OLYMPUS, its own byte order, offsets from the note) and hostile values")
    func olympusLayouts() {
        func newer(_ value: (Int32, Int32), bigEndian: Bool) -> (Int) -> [UInt8] {
            { _ in
                let b = fields(bigEndian: bigEndian)
                return Array("OLYMPUS\0".utf8) + (bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]) + [3, 0]
                    + noteIFD([b.srational(0x1001, value)], bigEndian: bigEndian, start: 12)
            }
        }
        // The note's byte order is its own, whatever the TIFF's.
        #expect(iso(makerNotePayload(make: "OLYMPUS IMAGING CORP.", note: newer((5, 1), bigEndian: true))) == 100)
        #expect(iso(makerNotePayload(make: "OLYMPUS IMAGING CORP.", bigEndian: true, note: newer((7, 1), bigEndian: false))) == 400)
        #expect(iso(makerNotePayload(make: "OLYMPUS IMAGING CORP.", note: newer((16, 3), bigEndian: false)))
            == CanonMakerNote.significant15(100 * pow(2, 16.0 / 3 - 5)))
        for hostile in [(1, 0), (Int32.max, 1), (-1000, 1), (0, 0)] as [(Int32, Int32)] {
            #expect(iso(makerNotePayload(make: "OLYMPUS IMAGING CORP.", note: newer(hostile, bigEndian: false))) == nil, "\(hostile)")
        }
        // Cut short: the value's offset points past the payload's end.
        #expect(iso(makerNotePayload(make: "OLYMPUS IMAGING CORP.") { offset in Array(newer((6, 1), bigEndian: false)(offset).prefix(30)) }) == nil)
    }

    @Test("libexif reads each fixture as the note we built")
    func libexifNames() throws {
        func note(_ payload: [UInt8]) -> [MakerNoteEntry] {
            LibexifDocument(payload: Array("Exif".utf8) + [0, 0] + payload).makerNote(limit: 100)
        }
        #expect(note(nikon(nikonEntries(iso: (0, 40000), isoSetting: (0, 400)))).contains(MakerNoteEntry(name: "ISO", value: "ISO -25536", id: 2)))
        #expect(note(nikon(nikonEntries(isoSetting: (0, 400)))).contains(MakerNoteEntry(name: "ISO", value: "ISO2 400", id: 0x13)))
        #expect(note(makerNotePayload(make: "PENTAX Corporation", bigEndian: true, note: pentaxNote(isoCode: 9)))
            .contains { $0.name == "ISO" && $0.id == 0x4014 && $0.value.trimmingSpaces == "9" })
        #expect(note(makerNotePayload(make: "Asahi Optical Co.,Ltd", bigEndian: true, note: asahiNote(isoCode: 16)))
            .contains(MakerNoteEntry(name: "ISOSpeed", value: "200", id: 0x14)))
        #expect(note(makerNotePayload(make: "OLYMPUS OPTICAL CO.,LTD", note: olympusNote)).contains { $0.name == "ISOValue" })
    }

    @Test("exiftool prints the ISO we report for each fixture; for Olympus its ISOValue, and for Fujifilm nothing",
          .enabled(if: executableOnPath("exiftool") != nil, "exiftool is not on PATH (Debian: libimage-exiftool-perl)"))
    func exiftoolAgrees() throws {
        let cases: [(String, [UInt8], Double?)] = [
            ("nikon", nikon(nikonEntries()), 400),
            ("nikon 40000", nikon(nikonEntries(iso: (0, 40000))), 40000),
            ("pentax", makerNotePayload(make: "PENTAX Corporation", bigEndian: true, note: pentaxNote(isoCode: 9)), 200),
            ("pentax 1/2 EV", makerNotePayload(make: "PENTAX Corporation", note: pentaxNote(isoCode: 264, bigEndian: false)), 400),
            ("asahi", makerNotePayload(make: "Asahi Optical Co.,Ltd", bigEndian: true, note: asahiNote(isoCode: 10)), 100),
            ("casio both", makerNotePayload(make: "CASIO COMPUTER CO.,LTD.", bigEndian: true, note: casioNote(code: 6, ccsISO: 80)), 100),
            ("casio ccs", makerNotePayload(make: "CASIO COMPUTER CO.,LTD.", bigEndian: true, note: casioNote(code: nil, ccsISO: 80)), 80),
            ("olympus", makerNotePayload(make: "OLYMPUS OPTICAL CO.,LTD", note: olympusNote), 200),
            ("fuji", makerNotePayload(make: "FUJIFILM", bigEndian: true, note: fujiNote), nil),
        ]
        let printed = try exiftool(cases.map(\.1), numeric: false)
        let numeric = try exiftool(cases.map(\.1), numeric: true)
        for (k, (label, payload, expected)) in cases.enumerated() {
            #expect(iso(payload) == expected, "\(label): ours")
            // Olympus's ISOValue is exiftool's under that name: it reports no ISO.
            let exiftoolISO = label == "olympus" ? jsonNumber(printed[k]["ISOValue"]) : jsonNumber(printed[k]["ISO"])
            #expect(exiftoolISO == expected, "\(label): exiftool printed \(String(describing: printed[k]["ISO"]))")
            if label == "olympus" { #expect(printed[k]["ISO"] == nil) }
        }
        // What `-n` gives instead, which proves the fixtures hold what we think: Nikon's raw pair,
        // Pentax's and Casio's raw codes, Olympus's ISOValue under its own name.
        #expect(jsonText(numeric[0]["ISO"]) == "0 400")
        #expect(jsonNumber(numeric[2]["ISO"]) == 9)
        #expect(jsonNumber(numeric[4]["ISO"]) == 10)
        #expect(jsonNumber(numeric[5]["ISO"]) == 6)
        #expect(jsonNumber(numeric[7]["ISOValue"]) == 200)
    }

    @Test("the readers of libexif's renderings take only what they expect")
    func renderings() {
        for (text, expected) in [("ISO 400", 400), ("ISO -25536", 40000), ("ISO -1", 65535), ("ISO 0", nil),
                                 ("ISO2 400", nil), ("ISO -32768", 32768), ("ISO 32767", 32767), ("ISO -32769", nil),
                                 ("ISO 32768", nil), ("ISO 65536", nil), ("ISO 400 ", nil),
                                 ("ISO +4", nil), ("ISO ", nil), ("ISO -", nil), ("ISO", nil), ("400", nil),
                                 ("ISO 99999999999999999999999", nil), ("ISO ４００", nil)] as [(String, Int?)] {
            #expect(ExifSummary.nikonISO(text) == expected, "\(text)")
        }
        for (text, expected) in [("100", 100.0), (" 80 ", 80), ("0x0064", nil), ("Auto", nil), ("9 0", nil),
                                 ("-5", nil), ("1e9", nil), ("99999999999", nil), ("", nil), ("..", nil),
                                 (String(repeating: "9", count: 10_000), nil)] as [(String, Double?)] {
            #expect(ExifSummary.plainNumber(text) == expected, "\(text.prefix(20))")
        }
    }

    @Test("entries under other names or ids give nothing, whatever their text")
    func impostors() {
        let hostile = ["ISO 400", "9", "200", "Internal error (unknown value 400)", "\u{FFFD}\0", String(repeating: "1", count: 300)]
        for text in hostile {
            for (name, id) in [("ISO", 0x0003), ("ISO", 0x8002), ("ISOSpeed", 0x4014), ("Lens", 0x0002), ("ISOValue", 0x1001)] {
                #expect(ExifSummary.makerNoteISO([MakerNoteEntry(name: name, value: text, id: id)], make: "Asahi") == nil,
                        "\(name) \(id) \(text.prefix(20))")
            }
        }
    }

    @Test("cut and corrupted notes neither trap nor invent another ISO")
    func hostile() {
        let payloads: [([UInt8], Double)] = [
            (nikon(nikonEntries(lens: [(18, 1), (70, 1), (35, 10), (45, 10)])), 400),
            (makerNotePayload(make: "PENTAX Corporation", bigEndian: true, note: pentaxNote(isoCode: 9)), 200),
            (makerNotePayload(make: "Asahi Optical Co.,Ltd", bigEndian: true, note: asahiNote(isoCode: 16)), 200),
        ]
        for (payload, expected) in payloads {
            for length in 0 ..< payload.count {
                let value = iso(Array(payload.prefix(length)))
                #expect(value == nil || value == expected, "cut at \(length): \(String(describing: value))")
            }
            for i in 8 ..< payload.count {
                for byte: UInt8 in [0x00, 0xFF, 0x80] {
                    var bytes = payload
                    bytes[i] = byte
                    let d = LibexifDecoder().decode(tiff: bytes)
                    if let v = d.summary.iso { #expect(v.isFinite && v >= 0, "byte \(i)") }
                }
            }
        }
    }
}
