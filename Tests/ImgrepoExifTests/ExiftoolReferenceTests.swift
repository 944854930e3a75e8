import Foundation
import ImgrepoCore
import ImgrepoExif
import ImgrepoFixtures
import Testing

/// Fixture files agree with exiftool, the reference reader, on every summary field.
@Suite("agreement with exiftool")
struct ExiftoolReferenceTests {
    struct Sample: Sendable {
        var name: String
        var exif: FixtureExif
        var width: Int
        var height: Int
        var format: String
    }

    static let samples: [Sample] = {
        var south = FixtureExif.sample
        south.gpsLatitude = -33.856_784; south.gpsLongitude = -70.648_270; south.gpsAltitude = -28.25
        south.byteOrder = .bigEndian
        var nokia = FixtureExif(make: "HMD Global", model: "Nokia 8.3 5G", dateTimeOriginal: "2021:08:14 18:02:11",
                                orientation: 8, gpsLatitude: 60.169_857, gpsLongitude: 24.938_379, gpsAltitude: 12,
                                signedGPSRationals: true)
        nokia.iso = 50
        return [
            Sample(name: "sample.jpg", exif: .sample, width: 320, height: 240, format: "jpeg"),
            Sample(name: "south-west-big-endian.jpg", exif: south, width: 200, height: 300, format: "jpeg"),
            Sample(name: "signed-gps.jpg", exif: nokia, width: 64, height: 64, format: "jpeg"),
            Sample(name: "progressive.jpg", exif: .sample, width: 100, height: 75, format: "progressive"),
            Sample(name: "sample.png", exif: .sample, width: 90, height: 60, format: "png"),
        ]
    }()

    @Test("exiftool -json -n reads what the fixture wrote and what the decoder reads")
    func compare() throws {
        let exiftool = try #require(executableOnPath("exiftool"),
                                    "exiftool is not on PATH: install libimage-exiftool-perl (Debian) to run the reference comparison")
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var files: [(Sample, String, [UInt8])] = []
        for sample in Self.samples {
            let bytes: [UInt8]
            switch sample.format {
            case "png": bytes = Fixtures.png(width: sample.width, height: sample.height, exif: sample.exif)
            case "progressive":
                bytes = Fixtures.jpeg(width: sample.width, height: sample.height, exif: sample.exif, progressive: true)
            default: bytes = Fixtures.jpeg(width: sample.width, height: sample.height, exif: sample.exif)
            }
            files.append((sample, try folder.write(bytes, named: sample.name).path, bytes))
        }
        let reference = try exiftoolJSON(exiftool, files: files.map(\.1))
        #expect(reference.count == files.count, "exiftool answered for \(reference.count) of \(files.count) files")

        for (sample, path, bytes) in files {
            let tool = try #require(reference[path], "exiftool said nothing about \(sample.name)")
            let payload = sample.format == "png" ? Fixtures.exifPayload(sample.exif) : try #require(exifPayload(ofJPEG: bytes))
            let ours = LibexifDecoder().decode(tiff: payload).summary
            let want = expectedSummary(sample.exif)
            let name = sample.name

            #expect(jsonText(tool["Make"]) == want.make, "\(name) Make")
            #expect(ours.make == want.make, "\(name) Make")
            #expect(jsonText(tool["Model"]) == want.model, "\(name) Model")
            #expect(ours.model == want.model, "\(name) Model")
            #expect(jsonText(tool["LensModel"]) == want.lens, "\(name) LensModel")
            #expect(ours.lens == want.lens, "\(name) LensModel")
            let toolDate = jsonText(tool["DateTimeOriginal"]).map { isoLocal(exiftool: $0) }
            #expect(toolDate == sample.exif.dateTimeOriginal.map { isoLocal(exiftool: $0) }, "\(name) DateTimeOriginal")
            #expect(ours.takenLocal?.prefix(19).description == toolDate, "\(name) DateTimeOriginal")
            #expect(jsonText(tool["OffsetTimeOriginal"]) == want.takenOffset, "\(name) OffsetTimeOriginal")
            #expect(ours.takenOffset == jsonText(tool["OffsetTimeOriginal"]), "\(name) OffsetTimeOriginal")
            for (key, mine, written) in [("ExposureTime", ours.exposureTime, want.exposureTime),
                                         ("FNumber", ours.fNumber, want.fNumber),
                                         ("FocalLength", ours.focalLength, want.focalLength),
                                         ("ISO", ours.iso, want.iso),
                                         ("Orientation", ours.orientation.map(Double.init), want.orientation.map(Double.init))] {
                #expect(close(jsonNumber(tool[key]), written), "\(name) \(key): exiftool \(String(describing: tool[key]))")
                #expect(close(mine, jsonNumber(tool[key])), "\(name) \(key): ours \(String(describing: mine))")
            }
            // exiftool prints coordinates to about 1e-7 degrees (and altitude to 0.1 m or so).
            for (key, mine, written, tolerance) in [("GPSLatitude", ours.gpsLatitude, want.gpsLatitude, 1e-6),
                                                    ("GPSLongitude", ours.gpsLongitude, want.gpsLongitude, 1e-6),
                                                    ("GPSAltitude", ours.gpsAltitude, want.gpsAltitude, 1e-3)] {
                #expect(close(jsonNumber(tool[key]), written, tolerance), "\(name) \(key): exiftool \(String(describing: tool[key]))")
                #expect(close(mine, jsonNumber(tool[key]), tolerance), "\(name) \(key): ours \(String(describing: mine))")
            }
            #expect(jsonNumber(tool["ImageWidth"]) == Double(sample.width), "\(name) ImageWidth")
            #expect(jsonNumber(tool["ImageHeight"]) == Double(sample.height), "\(name) ImageHeight")
            #expect(tool["Warning"] == nil, "\(name): exiftool warns \(String(describing: tool["Warning"]))")
        }
    }

    @Test("exiftool sees the corrupt-EXIF fixture as a JPEG and the truncated one as a JPEG")
    func brokenFixtures() throws {
        let exiftool = try #require(executableOnPath("exiftool"),
                                    "exiftool is not on PATH: install libimage-exiftool-perl (Debian) to run the reference comparison")
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corrupt = try folder.write(Fixtures.jpegWithCorruptExif(width: 80, height: 60), named: "corrupt.jpg").path
        let truncated = try folder.write(Fixtures.truncatedJPEG(width: 80, height: 60), named: "truncated.jpg").path
        let reference = try exiftoolJSON(exiftool, files: [corrupt, truncated])
        #expect(jsonText(reference[corrupt]?["FileType"]) == "JPEG")
        #expect(jsonNumber(reference[corrupt]?["ImageWidth"]) == 80)
        #expect(reference[corrupt]?["Make"] == nil)
        #expect(jsonText(reference[truncated]?["FileType"]) == "JPEG")
    }
}
