import ImgrepoCore
import ImgrepoExif
import ImgrepoFixtures
import Testing

/// Payloads written by `Fixtures.exifPayload` (libexif) decode to exactly what was written.
@Suite("round trip through libexif")
struct RoundTripTests {
    static let cases: [(String, FixtureExif)] = {
        var big = FixtureExif.sample
        big.byteOrder = .bigEndian
        var southWest = FixtureExif.sample
        southWest.gpsLatitude = -33.856_784; southWest.gpsLongitude = -70.648_270; southWest.gpsAltitude = -28.25
        var signed = southWest
        signed.signedGPSRationals = true
        var signedBig = signed
        signedBig.byteOrder = .bigEndian
        var deadSea = FixtureExif(make: "Nokia", model: "Nokia 8.3 5G", gpsLatitude: 31.559, gpsLongitude: 35.473,
                                  gpsAltitude: -430.5, signedGPSRationals: true)
        deadSea.byteOrder = .bigEndian
        let edges = FixtureExif(gpsLatitude: -90, gpsLongitude: 180, gpsAltitude: 0)
        let sparse = FixtureExif(make: "Apple", dateTimeOriginal: "2019:12:31 23:59:59")
        let unicode = FixtureExif(artist: "Zoë Ångström 山田", copyright: "© Ünïcödé")
        return [("sample, little endian", FixtureExif.sample), ("sample, big endian", big),
                ("south-west, negative altitude", southWest), ("signed gps rationals", signed),
                ("signed gps rationals, big endian", signedBig), ("below sea level, big endian", deadSea),
                ("pole and antimeridian", edges), ("few fields", sparse), ("utf-8 text", unicode)]
    }()

    @Test("every summary field equals what was written", arguments: cases)
    func roundTrip(name: String, exif: FixtureExif) throws {
        let decoded = LibexifDecoder().decode(tiff: Fixtures.exifPayload(exif))
        #expect(decoded.status == .read, "\(name): \(decoded.warnings)")
        #expect(decoded.warnings.isEmpty, "\(name): \(decoded.warnings)")
        let got = decoded.summary, want = expectedSummary(exif)
        #expect(got.make == want.make)
        #expect(got.model == want.model)
        #expect(got.lens == want.lens)
        #expect(got.software == want.software)
        #expect(got.artist == want.artist)
        #expect(got.copyright == want.copyright)
        #expect(got.takenLocal == want.takenLocal)
        #expect(got.takenOffset == want.takenOffset)
        #expect(got.exposureTime == want.exposureTime)
        #expect(got.fNumber == want.fNumber)
        #expect(got.focalLength == want.focalLength)
        #expect(got.iso == want.iso)
        #expect(got.orientation == want.orientation)
        // Coordinates go through degrees, minutes and 1/10000 seconds: about 3e-8 degrees.
        #expect(close(got.gpsLatitude, want.gpsLatitude, 1e-7), "\(String(describing: got.gpsLatitude))")
        #expect(close(got.gpsLongitude, want.gpsLongitude, 1e-7), "\(String(describing: got.gpsLongitude))")
        #expect(close(got.gpsAltitude, want.gpsAltitude, 1e-6), "\(String(describing: got.gpsAltitude))")
    }

    @Test("the sample decodes to a UTC capture instant")
    func takenUTC() throws {
        let summary = LibexifDecoder().decode(tiff: Fixtures.exifPayload(.sample)).summary
        let utc = try #require(summary.takenUTC)
        #expect(utc.iso8601 == "2023-06-01T10:34:56.123000Z")
    }

    @Test("tags carry their IFD, libexif's name, text and number")
    func tags() throws {
        let tags = LibexifDecoder().decode(tiff: Fixtures.exifPayload(.sample)).tags
        let orientation = try #require(tags.first { $0.tagID == 0x0112 })
        #expect(orientation.ifd == "IFD0")
        #expect(orientation.name == "Orientation")
        #expect(orientation.number == 6)
        let exposure = try #require(tags.first { $0.tagID == 0x829A })
        #expect(exposure.ifd == "ExifIFD")
        #expect(exposure.name == "ExposureTime")
        #expect(exposure.number == 0.004)
        #expect(exposure.text.contains("1/250"), "\(exposure.text)")
        let latitude = try #require(tags.first { $0.tagID == 0x0002 && $0.ifd == "GPS" })
        #expect(latitude.name == "GPSLatitude")
        #expect(latitude.number == nil, "three components are not one number")
        let make = try #require(tags.first { $0.tagID == 0x010F })
        #expect(make.text == "Canon")
        #expect(make.number == nil)
        let offset = try #require(tags.first { $0.tagID == 0x9011 })
        #expect(offset.text == "+02:00")
        #expect(offset.name == "OffsetTimeOriginal" || offset.name == "0x9011")
    }

    @Test("no fields means no tags: libexif writes an empty IFD0, which reads as unreadable")
    func empty() {
        let decoded = LibexifDecoder().decode(tiff: Fixtures.exifPayload(FixtureExif()))
        #expect(decoded.status == .unreadable)
        #expect(!decoded.warnings.isEmpty)
    }
}
