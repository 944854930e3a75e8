import Foundation
import ImgrepoFixtures
import Testing

/// `imgrepo details --json` agrees with `exiftool -json -n` (the reference everyone trusts) on
/// images with known EXIF. exiftool comes from Debian's libimage-exiftool-perl, which the
/// test set-up installs; without it these tests fail rather than pass vacuously.
@Suite struct ExiftoolAgreementTests {
    static let cases: [(String, FixtureExif)] = {
        var south = FixtureExif.sample
        south.make = "NIKON CORPORATION"; south.model = "NIKON Z 6"
        south.gpsLatitude = -33.856_784; south.gpsLongitude = -151.215_297; south.gpsAltitude = -12.25
        south.offsetTimeOriginal = "-05:00"; south.orientation = 8; south.byteOrder = .bigEndian
        var nokia = FixtureExif.sample
        nokia.make = "Nokia"; nokia.model = "N95"; nokia.signedGPSRationals = true
        nokia.gpsLatitude = 60.169_856; nokia.gpsLongitude = 24.938_379; nokia.orientation = 1
        nokia.offsetTimeOriginal = nil; nokia.subSecTimeOriginal = nil
        return [("sample", .sample), ("south-west big-endian", south), ("signed GPS rationals", nokia)]
    }()

    @Test(arguments: 0..<3)
    func detailsMatchExiftool(index: Int) throws {
        let (label, exif) = Self.cases[index]
        let box = try Sandbox()
        let path = try box.file("fixture-\(index).jpg", Fixtures.jpeg(width: 160, height: 90, seed: UInt32(index + 1), exif: exif))
        let upload = try box.run(["upload", path])
        #expect(upload.status == 0, "\(upload.stderr)")

        let tool = try shell(["exiftool", "-json", "-n", path])
        try #require(tool.status == 0, "exiftool must be installed (apt-get install libimage-exiftool-perl)")
        let reference = try #require((try JSONSerialization.jsonObject(with: Data(tool.out.utf8)) as? [[String: Any]])?.first)
        let ours = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])

        func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }
        #expect(ours["make"] as? String == reference["Make"] as? String, "\(label): Make")
        #expect(ours["model"] as? String == reference["Model"] as? String, "\(label): Model")
        #expect(ours["lens"] as? String == reference["LensModel"] as? String, "\(label): LensModel")
        #expect(ours["width"] as? Int == reference["ImageWidth"] as? Int, "\(label): ImageWidth")
        #expect(ours["height"] as? Int == reference["ImageHeight"] as? Int, "\(label): ImageHeight")
        #expect(ours["orientation"] as? Int == reference["Orientation"] as? Int, "\(label): Orientation")
        #expect(ours["iso"] as? Int == reference["ISO"] as? Int, "\(label): ISO")
        #expect(number(ours["exposure_time"]) == number(reference["ExposureTime"]), "\(label): ExposureTime")
        #expect(number(ours["f_number"]) == number(reference["FNumber"]), "\(label): FNumber")
        #expect(number(ours["focal_length"]) == number(reference["FocalLength"]), "\(label): FocalLength")
        for (key, ref) in [("gps_latitude", "GPSLatitude"), ("gps_longitude", "GPSLongitude"), ("gps_altitude", "GPSAltitude")] {
            let a = try #require(number(ours[key]), "\(label): \(key) missing")
            let b = try #require(number(reference[ref]), "\(label): exiftool \(ref) missing")
            #expect(abs(a - b) < 1e-6, "\(label): \(key) \(a) vs \(b)")
        }
        // exiftool -n prints "2023:06:01 12:34:56"; we print ISO 8601.
        let dto = try #require(reference["DateTimeOriginal"] as? String)
        let local = try #require(ours["taken_local"] as? String)
        #expect(local.hasPrefix(dto.replacingOccurrences(of: " ", with: "T").replacingOccurrences(of: ":", with: "-", options: [], range: dto.startIndex..<dto.index(dto.startIndex, offsetBy: 10))), "\(label): DateTimeOriginal \(dto) vs \(local)")
        #expect(ours["taken_offset"] as? String == reference["OffsetTimeOriginal"] as? String, "\(label): OffsetTimeOriginal")
        #expect(ours["copyright"] as? String == reference["Copyright"] as? String, "\(label): Copyright")
    }
}
