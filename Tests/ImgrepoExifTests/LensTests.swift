import Foundation
import ImgrepoCore
@testable import ImgrepoExif
import Testing

/// Canon's maker note (Make `Canon…`): an IFD at the note's start in the TIFF's byte order,
/// offsets from the TIFF header; CameraSettings (0x0001: 46 int16u, the first their size in
/// bytes) and LensModel (0x0095, a string).
func canonLensNote(_ lensModel: [UInt8]?) -> (Int) -> [UInt8] {
    { offset in
        let b = fields(bigEndian: false)
        var settings = [UInt16](repeating: 0, count: 46)
        settings[0] = 92
        var entries = [TIFFBuilder.Field(tag: 0x0001, type: 3, count: 46, data: settings.flatMap(b.u16))]
        if let lensModel {
            entries.append(TIFFBuilder.Field(tag: 0x0095, type: 2, count: UInt32(lensModel.count), data: lensModel))
        }
        return noteIFD(entries, bigEndian: false, start: offset)
    }
}

func cString(_ text: String, padTo length: Int = 0) -> [UInt8] {
    let bytes = Array(text.utf8) + [0]
    return bytes + [UInt8](repeating: 0, count: max(0, length - bytes.count))
}

@Suite("lens from maker notes and LensInfo")
struct LensFallbackTests {
    static let lensInfo = [TIFFBuilder().rational(0xA432, (18, 1), (70, 1), (35, 10), (45, 10))]

    func lens(_ payload: [UInt8]) -> String? { LibexifDecoder().decode(tiff: payload).summary.lens }

    func canon(_ lensModel: [UInt8]?, exif: [TIFFBuilder.Field] = []) -> [UInt8] {
        makerNotePayload(make: "Canon", exif: exif, note: canonLensNote(lensModel))
    }

    func nikon(lens: [(UInt32, UInt32)], exif: [TIFFBuilder.Field] = []) -> [UInt8] {
        makerNotePayload(make: "NIKON CORPORATION", exif: exif) { _ in nikonNote(nikonEntries(lens: lens)) }
    }

    @Test("Canon's LensModel (0x0095) when EXIF has none")
    func canonLensModel() {
        #expect(lens(canon(cString("EF-S18-55mm f/3.5-5.6 IS", padTo: 32))) == "EF-S18-55mm f/3.5-5.6 IS")
        #expect(lens(canon(cString("EF50mm f/1.8 II   "))) == "EF50mm f/1.8 II")
    }

    @Test("an empty or blank Canon LensModel, or none, is no lens")
    func canonEmpty() {
        #expect(lens(canon(cString("", padTo: 8))) == nil)
        #expect(lens(canon(cString("    "))) == nil)
        #expect(lens(canon(nil)) == nil)
    }

    @Test("EXIF's LensModel comes first, the maker note's before a LensInfo description")
    func order() {
        let b = TIFFBuilder()
        let note = cString("EF-S18-55mm f/3.5-5.6 IS")
        #expect(lens(canon(note, exif: [b.ascii(0xA434, "EF-S18-55mm f/3.5-5.6 IS II")] + Self.lensInfo)) == "EF-S18-55mm f/3.5-5.6 IS II")
        #expect(lens(canon(note, exif: Self.lensInfo)) == "EF-S18-55mm f/3.5-5.6 IS")
        #expect(lens(canon(nil, exif: Self.lensInfo)) == "18-70mm f/3.5-4.5")
        // EXIF's LensInfo before Nikon's Lens.
        #expect(lens(nikon(lens: [(10, 1), (24, 1), (35, 10), (45, 10)], exif: Self.lensInfo)) == "18-70mm f/3.5-4.5")
    }

    @Test("EXIF's LensInfo alone, printed as exiftool prints it")
    func exifLensInfo() {
        var b = TIFFBuilder()
        b.exif = Self.lensInfo
        #expect(LibexifDecoder().decode(tiff: b.build()).summary.lens == "18-70mm f/3.5-4.5")
        b.exif = [b.rational(0xA432, (100, 1), (100, 1), (28, 10), (28, 10))]
        #expect(LibexifDecoder().decode(tiff: b.build()).summary.lens == "100mm f/2.8")
    }

    @Test("Nikon's Lens (0x0084) as libexif renders it")
    func nikonLens() {
        #expect(lens(nikon(lens: [(18, 1), (70, 1), (35, 10), (45, 10)])) == "18-70mm f/3.5-4.5")
        #expect(lens(nikon(lens: [(300, 1), (300, 1), (40, 10), (40, 10)])) == "300mm f/4")
        #expect(lens(nikon(lens: [(18, 1), (70, 1), (35, 10), (0, 0)])) == "18-70mm f/3.5-?")
    }

    @Test("Nikon's Lens is read exactly, not as libexif rounds it: a 10.5 mm lens, a compact's 5.8-23.2 mm zoom")
    func nikonLensPrecision() {
        #expect(lens(nikon(lens: [(105, 10), (105, 10), (28, 10), (28, 10)])) == "10.5mm f/2.8")
        #expect(lens(nikon(lens: [(58, 10), (232, 10), (28, 10), (49, 10)])) == "5.8-23.2mm f/2.8-4.9")
        // Little-endian notes too, and libexif's own rendering shows what it would have given.
        let little = makerNotePayload(make: "NIKON CORPORATION") { _ in
            nikonNote(nikonEntries(lens: [(58, 10), (232, 10), (28, 10), (49, 10)], bigEndian: false), bigEndian: false)
        }
        #expect(lens(little) == "5.8-23.2mm f/2.8-4.9")
        let rendered = LibexifDocument(payload: Array("Exif".utf8) + [0, 0] + little).makerNote(limit: 100)
        #expect(rendered.contains { $0.id == 0x0084 && $0.value == "5-23mm 1:2.8 - 4.9" }, "\(rendered)")
        // The signature decides, as in exiftool and libexif: Nikon Capture writes such notes into other cameras' files.
        #expect(lens(makerNotePayload(make: "Canon") { _ in nikonNote(nikonEntries(lens: [(105, 10), (105, 10), (28, 10), (28, 10)])) })
            == "10.5mm f/2.8")
    }

    @Test("a Nikon Lens with no known shortest focal length, or the wrong count, is no lens")
    func nikonLensNothing() {
        #expect(lens(nikon(lens: [(0, 0), (70, 1), (35, 10), (45, 10)])) == nil)
        #expect(lens(nikon(lens: [(0, 0), (0, 0), (0, 0), (0, 0)])) == nil)
        #expect(lens(nikon(lens: [(18, 1), (70, 1), (35, 10)])) == nil)
    }

    @Test("Olympus, Pentax and Fujifilm notes name no lens libexif reads")
    func otherMakers() {
        #expect(lens(makerNotePayload(make: "OLYMPUS OPTICAL CO.,LTD", note: olympusNote)) == nil)
        #expect(lens(makerNotePayload(make: "PENTAX Corporation", bigEndian: true, note: pentaxNote(isoCode: 9))) == nil)
        #expect(lens(makerNotePayload(make: "FUJIFILM", bigEndian: true, note: fujiNote)) == nil)
    }

    @Test("cut and corrupted notes neither trap nor invent another lens")
    func hostile() {
        let payloads: [([UInt8], String)] = [
            (canon(cString("EF-S18-55mm f/3.5-5.6 IS", padTo: 32)), "EF-S18-55mm f/3.5-5.6 IS"),
            (nikon(lens: [(18, 1), (70, 1), (35, 10), (45, 10)]), "18-70mm f/3.5-4.5"),
        ]
        for (payload, expected) in payloads {
            for length in 0 ..< payload.count {
                let value = lens(Array(payload.prefix(length)))
                #expect(value == nil || value == expected, "cut at \(length): \(value ?? "nil")")
            }
            for i in 8 ..< payload.count {
                for byte: UInt8 in [0x00, 0xFF, 0x80] {
                    var bytes = payload
                    bytes[i] = byte
                    if let value = lens(bytes) { #expect(!value.isEmpty && value.utf8.count < 1024, "byte \(i)") }
                }
            }
        }
    }

    @Test("exiftool's LensModel is ours where it has one; its printed Lens and LensInfo are our descriptions",
          .enabled(if: executableOnPath("exiftool") != nil, "exiftool is not on PATH (Debian: libimage-exiftool-perl)"))
    func exiftoolAgrees() throws {
        let b = TIFFBuilder()
        let cases: [(String, [UInt8])] = [
            ("canon", canon(cString("EF-S18-55mm f/3.5-5.6 IS", padTo: 32))),
            ("canon and EXIF", canon(cString("EF-S18-55mm f/3.5-5.6 IS"), exif: [b.ascii(0xA434, "EF-S18-55mm f/3.5-5.6 IS II")])),
            ("nikon", nikon(lens: [(18, 1), (70, 1), (35, 10), (45, 10)])),
            ("nikon unknown", nikon(lens: [(18, 1), (70, 1), (35, 10), (0, 0)])),
            ("nikon compact", nikon(lens: [(58, 10), (232, 10), (28, 10), (49, 10)])),
            ("olympus", makerNotePayload(make: "OLYMPUS OPTICAL CO.,LTD", note: olympusNote)),
            ("pentax", makerNotePayload(make: "PENTAX Corporation", bigEndian: true, note: pentaxNote(isoCode: 9))),
            ("fuji", makerNotePayload(make: "FUJIFILM", bigEndian: true, note: fujiNote)),
        ]
        let numeric = try exiftool(cases.map(\.1), numeric: true)
        let printed = try exiftool(cases.map(\.1), numeric: false)
        let ours = cases.map { lens($0.1) }
        #expect(jsonText(numeric[0]["LensModel"]) == "EF-S18-55mm f/3.5-5.6 IS")
        #expect(ours[0] == "EF-S18-55mm f/3.5-5.6 IS")
        #expect(jsonText(numeric[1]["LensModel"]) == "EF-S18-55mm f/3.5-5.6 IS II")
        #expect(ours[1] == "EF-S18-55mm f/3.5-5.6 IS II")
        for k in 2 ... 4 {
            #expect(numeric[k]["LensModel"] == nil, "\(cases[k].0)")
            #expect(jsonText(printed[k]["Lens"]) == ours[k], "\(cases[k].0): exiftool \(String(describing: printed[k]["Lens"]))")
        }
        for k in 5 ... 7 {
            #expect(numeric[k]["LensModel"] == nil, "\(cases[k].0)")
            #expect(ours[k] == nil, "\(cases[k].0)")
        }
        // The Fujifilm fixture's lens values are where exiftool looks for them.
        #expect(jsonNumber(numeric[7]["MinFocalLength"]) == 18)
        #expect(jsonNumber(numeric[7]["MaxApertureAtMaxFocal"]) == 4)
    }
}

@Suite("LensInfo as exiftool's PrintLensInfo prints it")
struct LensInfoFormatTests {
    @Test("ranges, single values, unknowns and exiftool's 10 significant digits", arguments: [
        ([18, 70, 3.5, 4.5], "18-70mm f/3.5-4.5"),
        ([100, 100, 2.8, 2.8], "100mm f/2.8"),
        ([6, 0, 2.8, 0], "6mm f/2.8"),                      // the Pentax Q writes 0 for a prime's second value
        ([18, 70, 3.5, nil], "18-70mm f/3.5-?"),
        ([18, nil, nil, nil], "18-?mm f/?"),
        ([1.539999962, 6, 1.8, 2.4], "1.539999962-6mm f/1.8-2.4"),
        ([1.0 / 3, 2.0 / 3, 1, 1], "0.3333333333-0.6666666667mm f/1"),
        ([4_294_967_295, 4_294_967_295, 1, 2], "4294967295mm f/1-2"),
        ([1 / 4_294_967_295, 1, 1, 1], "2.328306437e-10-1mm f/1"),
        ([12.5, 12.500000000001, 4, 4.0000000000001], "12.5mm f/4"),
        ([18, -0.0, 3.5, 4.5], "18--0mm f/3.5-4.5"),             // Perl's "-0" is true
        ([18, .nan, .infinity, -.infinity], "18-?mm f/?"),      // "?" equals "?"
    ] as [([Double?], String)])
    func printed(values: [Double?], expected: String) {
        #expect(ExifSummary.lensDescription(values) == expected)
    }

    @Test("no lens without a known positive shortest focal length, or without four values", arguments: [
        [nil, 70, 3.5, 4.5], [0, 0, 0, 0], [-18, 70, 3.5, 4.5], [.nan, 70, 3.5, 4.5], [.infinity, 1, 1, 1],
        [18, 70, 3.5], [18, 70, 3.5, 4.5, 5], [], [nil, nil, nil, nil],
    ] as [[Double?]])
    func nothing(values: [Double?]) {
        #expect(ExifSummary.lensDescription(values) == nil)
    }

    @Test("EXIF LensInfo must be four RATIONAL or SRATIONAL values")
    func entryShape() {
        var b = TIFFBuilder()
        for field in [b.short(0xA432, 18, 70, 4, 5), b.rational(0xA432, (18, 1), (70, 1), (35, 10)),
                      b.rational(0xA432, (18, 1), (70, 1), (35, 10), (45, 10), (1, 1)),
                      b.ascii(0xA432, "18-70mm f/3.5-4.5")] {
            b.exif = [field]
            #expect(LibexifDecoder().decode(tiff: b.build()).summary.lens == nil, "\(field.type) \(field.count)")
        }
        b.exif = [b.srational(0xA432, (18, 1), (70, 1), (35, 10), (45, 10))]
        #expect(LibexifDecoder().decode(tiff: b.build()).summary.lens == "18-70mm f/3.5-4.5")
    }

    @Test("libexif's Nikon Lens rendering is read only when it is exactly that", arguments: [
        ("18-70mm 1:3.5 - 4.5", [18, 70, 3.5, 4.5]), ("0-0mm 1:0.0 - 0.0", [0, 0, 0, 0]),
        ("18-70mm 1:3.5 - 4.5 ", nil), ("18-70mm 1:nan - 4.5", nil), ("18-70mm 1:-nan - 4.5", nil),
        ("-18-70mm 1:3.5 - 4.5", nil), ("18-70mm 1:3.5", nil), ("Invalid number of components (3, expected 4).", nil),
        ("18-70mm 1:3.5.1 - 4.5", nil), ("", nil), (String(repeating: "9", count: 500) + "-1mm 1:1.0 - 1.0", nil),
    ] as [(String, [Double]?)])
    func nikonRendering(text: String, expected: [Double]?) {
        #expect(ExifSummary.nikonLensValues(text) == expected)
    }

    @Test("exiftool prints EXIF's LensInfo as we describe it", .enabled(if: executableOnPath("exiftool") != nil, "exiftool is not on PATH (Debian: libimage-exiftool-perl)"))
    func exiftoolAgrees() throws {
        let b = TIFFBuilder()
        let fields: [TIFFBuilder.Field] = [
            b.rational(0xA432, (18, 1), (70, 1), (35, 10), (45, 10)),
            b.rational(0xA432, (100, 1), (100, 1), (28, 10), (28, 10)),
            b.rational(0xA432, (6, 1), (0, 1), (28, 10), (0, 1)),
            b.rational(0xA432, (18, 1), (70, 1), (35, 10), (0, 0)),
            b.rational(0xA432, (18, 1), (5, 0), (0, 0), (7, 0)),
            b.rational(0xA432, (1_539_999_962, 1_000_000_000), (6, 1), (18, 10), (24, 10)),
            b.rational(0xA432, (1, 3), (2, 3), (1, 1), (1, 1)),
            b.rational(0xA432, (4_294_967_295, 1), (4_294_967_295, 1), (1, 1), (2, 1)),
            b.rational(0xA432, (1, 4_294_967_295), (1, 1), (1, 1), (1, 1)),
            b.srational(0xA432, (18, 1), (0, -5), (35, 10), (45, 10)),
            b.srational(0xA432, (18, 1), (-70, 1), (-35, 10), (45, -10)),
        ]
        let payloads = fields.map { field -> [UInt8] in
            var t = TIFFBuilder()
            t.exif = [field]
            return t.build()
        }
        let printed = try exiftool(payloads, numeric: false)
        for (k, payload) in payloads.enumerated() {
            let ours = LibexifDecoder().decode(tiff: payload).summary.lens
            #expect(ours != nil, "\(k)")
            #expect(jsonText(printed[k]["LensInfo"]) == ours, "\(k): exiftool \(String(describing: printed[k]["LensInfo"])), ours \(ours ?? "nil")")
            #expect(printed[k]["LensModel"] == nil, "\(k)")
        }
    }
}

/// Real Nikon files of the corpus: libexif's reading of their maker notes.
@Suite("maker-note lens and ISO on the corpus", .enabled(if: Corpus.folder != nil, "no shared corpus (../shared/corpus)"))
struct MakerNoteLensCorpusTests {
    func summary(_ path: String) throws -> ExifSummary {
        let folder = try #require(Corpus.folder)
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(path)))
        return LibexifDecoder().decode(tiff: try #require(exifPayload(ofJPEG: bytes))).summary
    }

    @Test("a D300 file without EXIF LensModel: Nikon's Lens, as exiftool prints it (28-300mm f/3.5-5.6)")
    func nikonLens() throws {
        #expect(try summary("jpg/tests/32-lens_data.jpeg").lens == "28-300mm f/3.5-5.6")
    }

    @Test("EXIF's LensModel and ISO stay first where the maker note has its own")
    func exifFirst() throws {
        let s = try summary("jpg/tests/87_OSError.jpg")
        #expect(s.lens == "18.0-70.0 mm f/3.5-4.5")
        #expect(s.iso == 1000)
    }
}
