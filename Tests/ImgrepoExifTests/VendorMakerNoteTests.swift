import Foundation
import ImgrepoCore
@testable import ImgrepoExif
import Testing

/// A TIFF payload with `make` in IFD0, `exif` and a MakerNote in the Exif IFD, the note made by
/// `note(offset)` where `offset` is where the note lands in the payload (its length must not
/// depend on the offset: the payload is built twice, first to find where the note goes).
func makerNotePayload(make: String?, exif: [TIFFBuilder.Field] = [], bigEndian: Bool = false,
                      note: (Int) -> [UInt8]) -> [UInt8] {
    var builder = TIFFBuilder()
    builder.bigEndian = bigEndian
    if let make { builder.ifd0 = [builder.ascii(0x010F, make)] }
    let length = note(0).count
    let marker = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    builder.exif = exif + [TIFFBuilder.Field(tag: 0x927C, type: 7, count: UInt32(length), data: marker)]
    let first = builder.build()
    let offset = (0 ... first.count - length).first { first[$0 ..< $0 + length].elementsEqual(marker) }!
    builder.exif = exif + [TIFFBuilder.Field(tag: 0x927C, type: 7, count: UInt32(length), data: note(offset))]
    return builder.build()
}

/// Canon's maker note as exiftool documents it (Canon.pm): an IFD with CameraSettings (0x0001)
/// and ShotInfo (0x0004), two arrays of 16-bit values that start with their own size in bytes,
/// the arrays after the IFD, then the optional TIFF footer holding the note's original offset.
struct CanonNoteLayout {
    var littleEndian = true
    /// CameraSettings index 16: 15 is "Auto", 17 is ISO 100, bit 14 set means a plain number.
    var cameraISO: UInt16 = 15
    /// ShotInfo index 1 and 2: AutoISO = 100·2^(v/32), BaseISO = 100/32·2^(v/32).
    var autoISO: Int16 = 32
    var baseISO: Int16 = 128
    var footer = true
    /// CameraSettings' and ShotInfo's first value (their size in bytes); nil writes the truth.
    var declaredSizes: (UInt16, UInt16)?

    func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
    func u32(_ v: UInt32) -> [UInt8] { u16(UInt16(littleEndian ? v & 0xFFFF : v >> 16)) + u16(UInt16(littleEndian ? v >> 16 : v & 0xFFFF)) }

    /// The note's bytes, its offsets written as if it began at `writtenAt` (the TIFF-relative
    /// offset it had when the camera wrote it, and the one the footer records).
    func bytes(writtenAt: Int) -> [UInt8] {
        var settings = [UInt16](repeating: 0, count: 46)
        settings[0] = declaredSizes?.0 ?? 92
        settings[16] = cameraISO
        var shot = [UInt16](repeating: 0, count: 34)
        shot[0] = declaredSizes?.1 ?? 68
        shot[1] = UInt16(bitPattern: autoISO)
        shot[2] = UInt16(bitPattern: baseISO)
        let settingsAt = 2 + 2 * 12 + 4, shotAt = settingsAt + 92
        var out = u16(2)
        out += u16(0x0001) + u16(3) + u32(46) + u32(UInt32(writtenAt + settingsAt))
        out += u16(0x0004) + u16(3) + u32(34) + u32(UInt32(writtenAt + shotAt))
        out += u32(0)
        out += settings.flatMap(u16) + shot.flatMap(u16)
        if footer { out += (littleEndian ? Array("II*\0".utf8) : Array("MM\0*".utf8)) + u32(UInt32(writtenAt)) }
        return out
    }
}

@Suite("Canon maker note ISO (libexif rejects notes an editor moved)")
struct CanonMakerNoteTests {
    /// A note moved by an editor: its offsets still point where the note was, far past the
    /// payload's end, so libexif cannot read it; the footer tells how far it moved.
    func moved(_ layout: CanonNoteLayout, bigEndian: Bool = false, exif: [TIFFBuilder.Field] = []) -> [UInt8] {
        makerNotePayload(make: "Canon", exif: exif, bigEndian: bigEndian) { layout.bytes(writtenAt: $0 + 100_000) }
    }

    @Test("BaseISO × AutoISO / 100 when CameraISO is Auto, through the footer's base fix")
    func shotInfo() {
        let d = LibexifDecoder().decode(tiff: moved(CanonNoteLayout()))
        #expect(d.status == .read)
        #expect(d.summary.iso == 100)  // 50 × 200 / 100
    }

    @Test("CameraISO when it is a number: a code (17 is 100) or bit 14 and the value")
    func cameraISO() {
        #expect(LibexifDecoder().decode(tiff: moved(CanonNoteLayout(cameraISO: 17))).summary.iso == 100)
        #expect(LibexifDecoder().decode(tiff: moved(CanonNoteLayout(cameraISO: 0x4000 | 320))).summary.iso == 320)
        #expect(CanonMakerNote.cameraISO(15) == nil)
        #expect(CanonMakerNote.cameraISO(0) == nil)
    }

    @Test("a big-endian payload")
    func bigEndian() {
        let d = LibexifDecoder().decode(tiff: moved(CanonNoteLayout(littleEndian: false), bigEndian: true))
        #expect(d.summary.iso == 100)
    }

    @Test("EXIF's ISO wins over the maker note's")
    func exifFirst() {
        var b = TIFFBuilder()
        b.bigEndian = false
        let d = LibexifDecoder().decode(tiff: moved(CanonNoteLayout(), exif: [b.short(0x8827, 400)]))
        #expect(d.summary.iso == 400)
    }

    @Test("a footer left stale by an editor that did update the offsets is ignored, as exiftool does")
    func picasaFooter() throws {
        let payload = makerNotePayload(make: "Canon") { offset in
            var bytes = CanonNoteLayout().bytes(writtenAt: offset)
            // The footer claims another original offset; the values already end at the footer.
            bytes.replaceSubrange(bytes.count - 4 ..< bytes.count, with: CanonNoteLayout().u32(UInt32(offset + 54)))
            return bytes
        }
        let note = try #require(MakerNoteBlock(tiff: payload))
        #expect(close(CanonMakerNote.iso(note, make: "Canon"), 100))
    }

    @Test("nothing unless the Make is Canon's")
    func otherMake() {
        let payload = makerNotePayload(make: "Nikon") { CanonNoteLayout().bytes(writtenAt: $0 + 100_000) }
        #expect(VendorMakerNoteValues(tiff: payload, make: "Nikon") == VendorMakerNoteValues())
        #expect(LibexifDecoder().decode(tiff: payload).summary.iso == nil)
    }

    @Test("blocks whose first value is not their size, a BaseISO of 0 and CameraISO 0x7FFF yield nothing")
    func invalidBlocks() {
        for layout in [CanonNoteLayout(declaredSizes: (92, 60)), CanonNoteLayout(declaredSizes: (90, 60)),
                       CanonNoteLayout(cameraISO: 0x7FFF, baseISO: 0)] {
            let payload = moved(layout)
            #expect(VendorMakerNoteValues(tiff: payload, make: "Canon").canonISO == nil, "\(layout)")
        }
    }

    @Test("every truncation and a sweep of corrupted bytes neither trap nor invent another ISO")
    func hostile() {
        let payload = moved(CanonNoteLayout())
        for length in 0 ..< payload.count {
            let iso = LibexifDecoder().decode(tiff: Array(payload.prefix(length))).summary.iso
            #expect(iso == nil || iso == 100, "cut at \(length)")
        }
        for i in 8 ..< payload.count {
            for value: UInt8 in [0x00, 0xFF, 0x7F] {
                var bytes = payload
                bytes[i] = value
                _ = VendorMakerNoteValues(tiff: bytes, make: "Canon")
            }
        }
    }
}

/// Kodak Type3 as exiftool documents it (Kodak.pm): big-endian fields at fixed offsets.
func kodakNote(length: Int = 0x60, exposure: UInt32 = 3111, fNumber: UInt16 = 390, iso: UInt16 = 200) -> [UInt8] {
    var b = [UInt8](repeating: 0, count: length)
    func put(_ offset: Int, _ bytes: [UInt8]) {
        for (k, byte) in bytes.enumerated() where offset + k < length { b[offset + k] = byte }
    }
    put(0, [0x01, 0x05, 0x03, 0x01])
    put(0x0C, [0x07, 0xCF])  // YearCreated 1999
    put(0x38, [UInt8(exposure >> 24), UInt8(exposure >> 16 & 0xFF), UInt8(exposure >> 8 & 0xFF), UInt8(exposure & 0xFF)])
    put(0x3C, [UInt8(fNumber >> 8), UInt8(fNumber & 0xFF)])
    put(0x4E, [UInt8(iso >> 8), UInt8(iso & 0xFF)])
    return b
}

@Suite("Kodak Type3 maker note (DC240, DC280)")
struct KodakMakerNoteTests {
    static let make = "EASTMAN KODAK COMPANY"

    func decoded(_ note: [UInt8], make: String = Self.make) -> ExifSummary {
        var b = TIFFBuilder()
        b.bigEndian = true
        let exif = [b.rational(0x829A, (1, 30)), b.rational(0x829D, (4, 1))]
        return LibexifDecoder().decode(tiff: makerNotePayload(make: make, exif: exif, bigEndian: true) { _ in note }).summary
    }

    @Test("ExposureTime in 10 µs units, over EXIF's, as exiftool reports it")
    func exposureTime() { #expect(close(decoded(kodakNote()).exposureTime, 0.03111)) }

    @Test("FNumber in hundredths, over EXIF's")
    func fNumber() { #expect(close(decoded(kodakNote()).fNumber, 3.9)) }

    @Test("ISO")
    func iso() { #expect(decoded(kodakNote()).iso == 200) }

    @Test("another maker, another layout or a short note leave EXIF's values alone")
    func notType3() {
        var other = kodakNote()
        other[12] = 0x08
        var kdk = kodakNote()
        kdk.replaceSubrange(0 ..< 3, with: Array("KDK".utf8))
        for (label, summary) in [("make", decoded(kodakNote(), make: "Kodak")), ("year byte", decoded(other)),
                                 ("KDK", decoded(kdk)), ("short", decoded(kodakNote(length: 0x30)))] {
            #expect(close(summary.exposureTime, 1.0 / 30), "\(label)")
            #expect(close(summary.fNumber, 4), "\(label)")
            #expect(summary.iso == nil, "\(label)")
        }
    }

    @Test("a note cut inside the fields keeps only the whole ones, and never traps")
    func truncated() {
        let note = kodakNote()
        for length in 0 ... note.count {
            let v = KodakMakerNote.values(note.prefix(length), make: Self.make)
            #expect((v?.exposureTime != nil) == (length >= 0x3C), "\(length)")
            #expect((v?.fNumber != nil) == (length >= 0x3E), "\(length)")
            #expect((v?.iso != nil) == (length >= 0x50), "\(length)")
        }
    }
}

/// A Reconyx HyperFire note as exiftool documents it (Reconyx.pm): little-endian words, the
/// capture time in words 0x0B–0x10 (second, minute, hour, month, day, year).
func reconyxNote(_ date: [UInt16] = [5, 4, 10, 3, 16, 2020], swapWords: Bool = false, version: UInt8 = 0x03) -> [UInt8] {
    var words = [UInt16](repeating: 0, count: 0x30)
    words[0] = 0xF101
    words[1] = UInt16(version)
    for (k, w) in date.enumerated() { words[0x0B + k] = swapWords ? w << 8 | w >> 8 : w }
    return words.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
}

@Suite("Reconyx HyperFire maker note")
struct ReconyxMakerNoteTests {
    func decoded(_ note: [UInt8], exif: [TIFFBuilder.Field] = []) -> ExifSummary {
        LibexifDecoder().decode(tiff: makerNotePayload(make: nil, exif: exif) { _ in note }).summary
    }

    @Test("DateTimeOriginal from the note when EXIF has none, recorded as a maker-note date")
    func date() {
        let s = decoded(reconyxNote())
        #expect(s.takenLocal == "2020-03-16T10:04:05")
        #expect(s.takenTag == "MakerNotes:DateTimeOriginal")
    }

    @Test("words written big-endian are swapped back, as exiftool does")
    func swapped() { #expect(decoded(reconyxNote(swapWords: true)).takenLocal == "2020-03-16T10:04:05") }

    @Test("EXIF's DateTimeOriginal wins; EXIF's CreateDate does not")
    func priority() {
        let b = TIFFBuilder()
        #expect(decoded(reconyxNote(), exif: [b.ascii(0x9003, "2021:01:02 03:04:05")]).takenLocal == "2021-01-02T03:04:05")
        #expect(decoded(reconyxNote(), exif: [b.ascii(0x9004, "2021:01:02 03:04:05")]).takenLocal == "2020-03-16T10:04:05")
    }

    @Test("another signature, an impossible date or a short note yield nothing")
    func nothing() {
        var other = reconyxNote()
        other[2] = 0x07  // neither version 2 nor 3, and no RECONYX make
        for note in [other, reconyxNote([0, 0, 25, 13, 40, 2020]), Array(reconyxNote().prefix(33))] {
            #expect(ReconyxMakerNote.dateTimeOriginal(note[...], make: nil) == nil)
            #expect(decoded(note).takenLocal == nil)
        }
        #expect(ReconyxMakerNote.dateTimeOriginal(other[...], make: "RECONYX") == "2020-03-16T10:04:05")
    }
}

/// The corpus files whose values only these maker notes hold, against exiftool's reference.
@Suite("vendor maker notes on the corpus", .enabled(if: Corpus.folder != nil, "no shared corpus (../shared/corpus)"))
struct VendorMakerNoteCorpusTests {
    func values(_ path: String) throws -> [ExifCheckField: ExifCheckValue] {
        let folder = try #require(Corpus.folder)
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(path)))
        return try #require(ExifCheck.values(ofFile: bytes))
    }

    @Test("Canon IXUS 40 files whose maker note an editor moved: ISO 50", arguments: ["jpg/tests/11-tests.jpg", "jpg/tests/28-hex_value.jpg"])
    func canon(path: String) throws {
        #expect(try values(path)[.iso] == .number(50))
    }

    @Test("Kodak DC240: exposure, aperture and ISO from the maker note")
    func kodak() throws {
        let v = try values("jpg/exif-org/kodak-dc240.jpg")
        #expect(v[.exposureTime]?.agrees(with: .number(0.03111)) == true)
        #expect(v[.fNumber]?.agrees(with: .number(3.9)) == true)
        #expect(v[.iso] == .number(65535))
    }

    @Test("Reconyx HC500: the capture time from the maker note")
    func reconyx() throws {
        #expect(try values("jpg/Reconyx_HC500_Hyperfire.jpg")[.dateTimeOriginal] == .text("2020:03:16 10:00:00"))
    }
}

/// The APP12 Picture Info fields merged as upload merges them: only where EXIF has none.
@Suite("APP12 Picture Info in the summary")
struct PictureInfoMergeTests {
    func jpeg(exif: [UInt8]?, app12: String) -> [UInt8] {
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        var b: [UInt8] = [0xFF, 0xD8]
        if let exif { b += segment(0xE1, Array("Exif".utf8) + [0, 0] + exif) }
        b += segment(0xEC, Array(app12.utf8))
        b += segment(0xC0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]) + segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0xFF, 0xD9]
        return b
    }

    static let app12 = "[picture info]\r\nTimeDate=946730096\r\nShutter=16667\r\nFlash=1\r\nFNumber=F5.6\r\n"

    @Test("without EXIF every field comes from the segment")
    func alone() throws {
        let v = try #require(ExifCheck.values(ofFile: jpeg(exif: nil, app12: Self.app12)))
        #expect(v[.dateTimeOriginal] == .text("2000:01:01 12:34:56"))
        #expect(v[.exposureTime]?.agrees(with: .number(0.016667)) == true)
        #expect(v[.fNumber] == .number(5.6))
        #expect(v[.flash] == .number(1))
    }

    @Test("EXIF's values win; the segment fills the gaps and outranks IFD0's DateTime")
    func exifFirst() throws {
        var b = TIFFBuilder()
        b.ifd0 = [b.ascii(0x0132, "2010:05:06 07:08:09")]
        b.exif = [b.rational(0x829A, (1, 125)), b.short(0x9209, 16)]
        let v = try #require(ExifCheck.values(ofFile: jpeg(exif: b.build(), app12: Self.app12)))
        #expect(v[.exposureTime] == .number(0.008))
        #expect(v[.flash] == .number(16))
        #expect(v[.fNumber] == .number(5.6))
        #expect(v[.dateTimeOriginal] == .text("2000:01:01 12:34:56"))
    }

    @Test("the corpus's Olympus D-320L, which wrote no EXIF", .enabled(if: Corpus.folder != nil, "no shared corpus"))
    func olympus() throws {
        let bytes = try [UInt8](Data(contentsOf: try #require(Corpus.folder).appendingPathComponent("jpg/exif-org/olympus-d320l.jpg")))
        let v = try #require(ExifCheck.values(ofFile: bytes))
        #expect(v[.dateTimeOriginal] == .text("1998:10:29 22:06:59"))
        #expect(v[.exposureTime]?.agrees(with: .number(0.033363)) == true)
        #expect(v[.fNumber] == .number(2.8))
        #expect(v[.flash] == .number(1))
    }
}
