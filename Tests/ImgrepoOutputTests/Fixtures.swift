import ImgrepoCore
@testable import ImgrepoOutput

/// Records and sinks shared by the suites.
enum Fixtures {
    /// Every field known, with text that needs no escaping.
    static var full: ImageRecord {
        var exif = ExifSummary()
        exif.make = "Canon"
        exif.model = "Canon EOS R5"
        exif.lens = "RF24-105mm F4 L IS USM"
        exif.takenLocal = "2023-06-01T12:34:56.123"
        exif.takenOffset = "+02:00"
        exif.exposureTime = 0.004
        exif.fNumber = 2.8
        exif.iso = 800
        exif.focalLength = 50
        exif.orientation = 1
        exif.gpsLatitude = 48.85837
        exif.gpsLongitude = -2.294481
        exif.gpsAltitude = -35.25
        exif.software = "Firmware 1.8.1"
        exif.artist = "Ada Lovelace"
        exif.copyright = "© 2023 Ada"
        exif.title = "Harbour at dusk"
        exif.description = "Boats, \"lights\" and a tab\there"
        exif.keywords = ["sea", "Boats", "Été"]
        exif.rating = 4
        exif.creator = "Ada Lovelace; Charles Babbage"
        exif.takenSource = .exif
        exif.takenTag = "EXIF:DateTimeOriginal"
        exif.focalLength35mm = 50
        exif.flash = 16
        var record = ImageRecord(id: 42, sha512: String(repeating: "ab", count: 64), originalName: "IMG_0001.JPG",
                                 originalPath: "/photos/2023/IMG_0001.JPG", owner: "ada",
                                 uploadedAt: Timestamp(iso8601: "2026-11-24T20:23:00.123456Z")!, byteSize: 4_213_337,
                                 format: .jpeg, width: 4000, height: 3000, exifStatus: .read, exif: exif)
        record.fingerprints = ImageFingerprints(pixelSHA512: String(repeating: "cd", count: 64), perceptualHash: 0x00f0_0f0f_a5a5_0001)
        record.fingerprintVersion = 1
        record.warnings = ["xmp: xmp:Rating '6' is not a whole number from -1 to 5; ignored"]
        return record
    }

    /// Only the fields every record has.
    static var sparse: ImageRecord {
        ImageRecord(id: 7, sha512: String(repeating: "0f", count: 64), originalName: "stdin", originalPath: nil,
                    owner: "bob", uploadedAt: Timestamp(microseconds: 0), byteSize: 0, format: .png,
                    width: nil, height: nil, exifStatus: .absent, exif: ExifSummary())
    }

    static func numbered(_ i: Int) -> ImageRecord {
        var r = full
        r.id = Int64(i)
        r.originalName = "IMG_\(i).JPG"
        return r
    }

    /// Runs `body` with a writer whose output is collected, then returns it as text.
    static func render(_ format: OutputFormat, fields: [RecordField]? = nil, options: OutputOptions = OutputOptions(),
                       _ body: (RecordWriter) -> Void) -> String {
        let sink = CollectingSink()
        let writer = RecordWriter(format: format, fields: fields ?? RecordField.defaults(for: format), options: options, sink: sink.append)
        body(writer)
        writer.finish()
        return sink.text
    }

    static func render(_ format: OutputFormat, fields: [RecordField]? = nil, options: OutputOptions = OutputOptions(),
                       records: [ImageRecord]) -> String {
        render(format, fields: fields, options: options) { w in records.forEach(w.write) }
    }

    static func render(_ format: OutputFormat, columns: [OutputColumn], options: OutputOptions = OutputOptions(),
                       rows: [[JSONValue]]) -> String {
        let sink = CollectingSink()
        let writer = RecordWriter(format: format, columns: columns, options: options, sink: sink.append)
        rows.forEach { writer.write(values: $0) }
        writer.finish()
        return sink.text
    }
}

final class CollectingSink {
    var bytes: [UInt8] = []
    var calls = 0
    func append(_ chunk: [UInt8]) { bytes += chunk; calls += 1 }
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
