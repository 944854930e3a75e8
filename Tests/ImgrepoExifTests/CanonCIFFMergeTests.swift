import Foundation
import ImgrepoCore
import ImgrepoExif
import ImgrepoFixtures
import Testing

/// A Canon CIFF heap's fields merged as upload merges them: only where EXIF and XMP have none.
@Suite("APP0 Canon CIFF in the summary")
struct CanonCIFFMergeTests {
    func jpeg(exif: [UInt8]?) -> [UInt8] {
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        var b: [UInt8] = [0xFF, 0xD8]
        b += segment(0xE0, Fixtures.canonCIFF(make: "Canon", model: "Canon PowerShot A50", seconds: 946_730_096, focalLength: 7))
        if let exif { b += segment(0xE1, Array("Exif".utf8) + [0, 0] + exif) }
        b += segment(0xC0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]) + segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0xFF, 0xD9]
        return b
    }

    @Test("without EXIF every field comes from the heap")
    func alone() throws {
        let v = try #require(ExifCheck.values(ofFile: jpeg(exif: nil)))
        #expect(v[.make] == .text("Canon"))
        #expect(v[.model] == .text("Canon PowerShot A50"))
        #expect(v[.dateTimeOriginal] == .text("2000:01:01 12:34:56"))
        #expect(v[.focalLength] == .number(7))
    }

    @Test("EXIF's values win; the heap fills the gaps and outranks IFD0's DateTime only")
    func exifFirst() throws {
        var b = TIFFBuilder()
        b.ifd0 = [b.ascii(0x010F, "Canon"), b.ascii(0x0132, "2010:05:06 07:08:09")]
        b.exif = [b.rational(0x920A, (54, 10))]
        let v = try #require(ExifCheck.values(ofFile: jpeg(exif: b.build())))
        #expect(v[.make] == .text("Canon"))
        #expect(v[.model] == .text("Canon PowerShot A50"))
        #expect(v[.focalLength] == .number(5.4))
        #expect(v[.dateTimeOriginal] == .text("2000:01:01 12:34:56"))

        var c = TIFFBuilder()
        c.ifd0 = [c.ascii(0x0110, "Other")]
        c.exif = [c.ascii(0x9004, "2010:05:06 07:08:09")]
        let w = try #require(ExifCheck.values(ofFile: jpeg(exif: c.build())))
        #expect(w[.model] == .text("Other"))
        #expect(w[.dateTimeOriginal] == .text("2010:05:06 07:08:09"), "EXIF's CreateDate is kept (docs/metadata.md)")
    }

    @Test("the summary names the tag and the source")
    func tag() {
        var s = ExifSummary()
        s.merge(xmp: nil)
        s.merge(canonCIFF: .init(make: "Canon", takenLocal: "2000-10-27T22:56:26"))
        #expect(s.takenTag == "CIFF:DateTimeOriginal")
        #expect(s.takenSource == .exif)
        #expect(s.takenOffset == nil)
        #expect(s.make == "Canon")
    }

    @Test("the corpus's PowerShot A5, which wrote no EXIF", .enabled(if: Corpus.folder != nil, "no shared corpus"))
    func powerShotA5() throws {
        let bytes = try [UInt8](Data(contentsOf: try #require(Corpus.folder).appendingPathComponent("jpg/exif-org/sony-powershota5.jpg")))
        let v = try #require(ExifCheck.values(ofFile: bytes))
        #expect(v[.make] == .text("Canon"))
        #expect(v[.model] == .text("Canon PowerShot A5"))
        #expect(v[.dateTimeOriginal] == .text("2000:10:27 22:56:26"))
        #expect(v[.focalLength] == .number(5))
    }
}
