import ImgrepoCore
import Testing
@testable import ImgrepoOutput

@Suite struct FieldSelectionTests {
    @Test func theDocumentedOrderIsTheContract() {
        #expect(RecordField.documented.map(\.key) == [
            "id", "sha512", "name", "path", "owner", "uploaded_at", "size", "format", "mime_type", "width", "height",
            "exif_status", "make", "model", "lens", "taken_at", "taken_local", "taken_offset", "taken_utc",
            "exposure_time", "f_number", "iso", "focal_length", "orientation", "gps_latitude", "gps_longitude",
            "gps_altitude", "software", "artist", "copyright", "title", "description", "keywords", "rating", "creator",
            "taken_source", "taken_tag", "focal_length_35mm", "flash", "pixel_sha512", "phash", "warnings",
        ])
        #expect(RecordField.derived.map(\.key) == ["dimensions", "pixels", "camera"])
        #expect(RecordField.tableDefault.map(\.key) == ["id", "name", "format", "size", "dimensions", "taken_at", "camera", "owner"])
        #expect(RecordField.defaults(for: .json).map(\.key) == RecordField.documented.map(\.key))
        #expect(RecordField.defaults(for: .table).map(\.key) == RecordField.tableDefault.map(\.key))
    }

    @Test func selectionKeepsTheOrderGiven() throws {
        let fields = try RecordField.parse("taken_at, id,NAME,camera")
        #expect(fields.map(\.key) == ["taken_at", "id", "name", "camera"])
        let text = Fixtures.render(.ndjson, fields: fields, records: [Fixtures.full])
        #expect(text == #"{"taken_at":"2023-06-01T12:34:56.123+02:00","id":42,"name":"IMG_0001.JPG","camera":"Canon EOS R5"}"# + "\n")
    }

    @Test func aliasesResolveToTheCanonicalKey() throws {
        #expect(try RecordField.parse("taken,bytes,type,fnumber,lat,uploaded").map(\.key)
                == ["taken_at", "size", "format", "f_number", "gps_latitude", "uploaded_at"])
        #expect(try RecordField.parse("id,id,,ID").map(\.key) == ["id"])
    }

    @Test func unknownFieldsAreRefusedListingTheValidOnes() {
        #expect(throws: OutputError.unknownField("colour", valid: RecordField.all.map(\.key))) {
            try RecordField.parse("id,colour")
        }
        let message = OutputError.unknownField("colour", valid: RecordField.all.map(\.key)).description
        #expect(message.hasPrefix("unknown field 'colour' (known: id, sha512, name,"))
        #expect(message.contains("dimensions, pixels, camera)"))
        #expect(throws: OutputError.emptyFieldList) { try RecordField.parse(" , ") }
    }

    @Test func derivedFieldsWorkInEveryFormat() throws {
        let fields = try RecordField.parse("dimensions,pixels,camera")
        #expect(Fixtures.render(.csv, fields: fields, records: [Fixtures.full, Fixtures.sparse])
                == "dimensions,pixels,camera\n4000x3000,12000000,Canon EOS R5\n,,\n")
        #expect(Fixtures.render(.table, fields: fields, records: [Fixtures.full, Fixtures.sparse])
                == "DIMENSIONS    PIXELS  CAMERA\n 4000×3000  12000000  Canon EOS R5\n         -         -  -\n")
    }

    @Test func tableTextForAKeyValueView() {
        let zone = DisplayTimeZone.utc
        let texts = RecordField.documented.map { "\($0.key)=\($0.tableText(Fixtures.full, timeZone: zone))" }
        #expect(texts.contains("size=4.2 MB") && texts.contains("f_number=f/2.8") && texts.contains("exposure_time=1/250"))
        #expect(texts.contains("uploaded_at=2026-11-24 20:23") && texts.contains("gps_altitude=-35.3 m"))
        #expect(RecordField.named("lens")!.tableText(Fixtures.sparse, timeZone: zone) == "-")
    }

    @Test func formatsParseAnyCase() throws {
        #expect(try OutputFormat(parsing: "NDJSON") == .ndjson)
        #expect(throws: OutputError.unknownFormat("xml")) { try OutputFormat(parsing: "xml") }
        #expect(OutputError.unknownFormat("xml").description == "unknown format 'xml' (known: table, json, ndjson, csv, tsv)")
        #expect(OutputFormat.allCases.filter(\.hasHeaders) == [.table, .csv, .tsv])
    }
}

@Suite struct HumanTextTests {
    @Test func sizes() {
        #expect(humanSize(0) == "0 B")
        #expect(humanSize(999) == "999 B")
        #expect(humanSize(1000) == "1.0 kB")
        #expect(humanSize(4_213_337) == "4.2 MB")
        #expect(humanSize(9_960_000) == "10 MB")
        #expect(humanSize(123_456_789) == "123 MB")
        #expect(humanSize(999_600) == "1.0 MB")
        #expect(humanSize(5_000_000_000_000) == "5.0 TB")
    }

    @Test func cameras() {
        #expect(cameraName(make: "Canon", model: "Canon EOS R5") == "Canon EOS R5")
        #expect(cameraName(make: "NIKON CORPORATION", model: "NIKON Z 6") == "NIKON Z 6")
        #expect(cameraName(make: "Apple", model: "iPhone 12") == "Apple iPhone 12")
        #expect(cameraName(make: "FUJIFILM", model: nil) == "FUJIFILM")
        #expect(cameraName(make: nil, model: "X100V") == "X100V")
        #expect(cameraName(make: nil, model: nil) == nil)
    }

    @Test func exifValuesAsPhotographersWriteThem() {
        let zone = DisplayTimeZone.utc
        #expect(CellStyle.exposure.render(.double(0.004), timeZone: zone) == "1/250")
        #expect(CellStyle.exposure.render(.double(1.0 / 3), timeZone: zone) == "0.3")
        #expect(CellStyle.exposure.render(.double(2), timeZone: zone) == "2")
        #expect(CellStyle.aperture.render(.double(2.8), timeZone: zone) == "f/2.8")
        #expect(CellStyle.aperture.render(.double(8), timeZone: zone) == "f/8")
        #expect(CellStyle.measure(unit: "mm", decimals: 1).render(.double(50), timeZone: zone) == "50 mm")
        #expect(CellStyle.degrees.render(.double(-2.294481), timeZone: zone) == "-2.294481")
        #expect(CellStyle.wallClock.render(.string("2023-06-01T12:34:56.123+02:00"), timeZone: zone) == "2023-06-01 12:34")
        #expect(CellStyle.text.render(.null, timeZone: zone) == "-")
        #expect(CellStyle.text.render(.string("a\nb\u{1B}[31m"), timeZone: zone) == "a\\nb\\x1B[31m")
    }
}
