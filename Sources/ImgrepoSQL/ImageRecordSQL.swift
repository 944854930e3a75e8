import ImageProbe
import ImgrepoCore

/// Reads one result row's columns left to right; each driver's row type conforms.
package protocol SQLColumnCursor {
    mutating func int64() -> Int64
    mutating func text() -> String
    mutating func optionalText() -> String?
    mutating func optionalInt() -> Int?
    mutating func optionalDouble() -> Double?
}

/// The columns a catalogue record is read from, and how, shared by every SQL driver so that a
/// new column is added in one place.
package enum ImageRecordSQL {
    /// The SELECT list of a record, in `decode`'s order; the last column is the image's
    /// keywords joined by U+001F (which XML, so XMP, cannot hold), in keyword order.
    package static func columns(_ dialect: SQLDialect) -> String {
        """
        id, sha512, original_name, original_path, owner, uploaded_at, byte_size, format, width, height, \
        exif_status, make, model, lens, taken_local, taken_offset, exposure_time, f_number, iso, \
        focal_length, orientation, gps_latitude, gps_longitude, gps_altitude, software, artist, copyright, \
        title, description, creator, rating, taken_source, \
        focal_length_35mm, flash, pixel_sha512, phash, fingerprint_version, taken_tag, warnings, taken_utc, \
        (SELECT \(dialect.keywordList) FROM image_keywords WHERE image_keywords.image_id = images.id)
        """
    }

    /// The `images` columns an insert writes (all but `id`), in `insertValues`' order; the
    /// instants (`uploaded_at`, `taken_utc`) take the dialect's `instantPlaceholder`.
    package static let insertColumns: [(name: String, instant: Bool)] = [
        "sha512", "original_name", "original_path", "owner", "uploaded_at", "byte_size", "format", "mime_type",
        "width", "height", "exif_status", "make", "model", "lens", "taken_local", "taken_offset", "taken_utc",
        "exposure_time", "f_number", "iso", "focal_length", "orientation", "gps_latitude", "gps_longitude",
        "gps_altitude", "software", "artist", "copyright", "title", "description", "creator", "rating", "taken_source",
        "focal_length_35mm", "flash", "pixel_sha512", "phash", "fingerprint_version", "taken_tag", "warnings",
    ].map { ($0, $0 == "uploaded_at" || $0 == "taken_utc") }

    /// `INSERT INTO images (<insertColumns>) VALUES (<placeholders>)`, for the caller to extend
    /// (SQLite adds `RETURNING id`; a copy adds the id column).
    package static func insertSQL(_ dialect: SQLDialect) -> String {
        "INSERT INTO images (\(insertColumns.map(\.name).joined(separator: ", "))) VALUES ("
            + insertColumns.map { $0.instant ? dialect.instantPlaceholder : "?" }.joined(separator: ", ") + ")"
    }

    /// The values of `insertSQL` for `image`, in `insertColumns`' order; what an upload and a
    /// copy write, in every driver.
    package static func insertValues(of image: NewImage) -> [SQLValue] {
        let e = image.exif.summary
        return [
            .text(image.sha512), .text(image.originalName), SQLValue(image.originalPath), .text(image.owner),
            .integer(image.uploadedAt.microseconds), .integer(image.byteSize), .text(image.format.rawValue),
            .text(image.format.mimeType), SQLValue(image.width), SQLValue(image.height),
            .text(image.exif.status.rawValue), SQLValue(e.make), SQLValue(e.model), SQLValue(e.lens),
            SQLValue(e.takenLocal), SQLValue(e.takenOffset), SQLValue(e.takenUTC?.microseconds),
            SQLValue(e.exposureTime), SQLValue(e.fNumber), SQLValue(e.iso), SQLValue(e.focalLength),
            SQLValue(e.orientation), SQLValue(e.gpsLatitude), SQLValue(e.gpsLongitude), SQLValue(e.gpsAltitude),
            SQLValue(e.software), SQLValue(e.artist), SQLValue(e.copyright),
            SQLValue(e.title), SQLValue(e.description), SQLValue(e.creator), SQLValue(e.rating),
            SQLValue(e.takenSource?.rawValue),
            SQLValue(e.focalLength35mm), SQLValue(e.flash), SQLValue(image.fingerprints.pixelSHA512),
            image.fingerprints.perceptualHash.map(ImageQuerySQL.perceptualHashValue) ?? .null,
            SQLValue(image.fingerprintVersion), SQLValue(e.takenTag), SQLValue(joined(image.warnings)),
        ]
    }

    /// Several texts in one column (`warnings`), joined by U+001F, which they cannot hold
    /// (`joined` drops it from them); nil for none.
    package static func joined(_ texts: [String]) -> String? {
        texts.isEmpty ? nil : texts.map { $0.replacing("\u{1F}", with: " ") }.joined(separator: "\u{1F}")
    }

    /// The texts `joined` made.
    package static func unjoined(_ text: String) -> [String] {
        text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }

    /// The record in `row`, read as `columns` lists them.
    /// - Throws: `integrity` naming the image and `location` for a format or EXIF status this
    ///   imgrepo does not know (a newer writer, or a damaged catalogue).
    package static func decode<Row: SQLColumnCursor>(_ row: inout Row, location: String) throws -> ImageRecord {
        let id = row.int64()
        let sha512 = row.text()
        let originalName = row.text()
        let originalPath = row.optionalText()
        let owner = row.text()
        let uploadedAt = Timestamp(microseconds: row.int64())
        let byteSize = row.int64()
        let formatText = row.text()
        guard let format = ImageFormat(rawValue: formatText) else {
            throw ImgrepoError.integrity(subject: "image \(id)", reason: "unknown format '\(formatText)' in \(location)")
        }
        let width = row.optionalInt()
        let height = row.optionalInt()
        let statusText = row.text()
        guard let exifStatus = ExifStatus(rawValue: statusText) else {
            throw ImgrepoError.integrity(subject: "image \(id)", reason: "unknown exif status '\(statusText)' in \(location)")
        }
        var exif = ExifSummary()
        exif.make = row.optionalText()
        exif.model = row.optionalText()
        exif.lens = row.optionalText()
        exif.takenLocal = row.optionalText()
        exif.takenOffset = row.optionalText()
        exif.exposureTime = row.optionalDouble()
        exif.fNumber = row.optionalDouble()
        exif.iso = row.optionalDouble()
        exif.focalLength = row.optionalDouble()
        exif.orientation = row.optionalInt()
        exif.gpsLatitude = row.optionalDouble()
        exif.gpsLongitude = row.optionalDouble()
        exif.gpsAltitude = row.optionalDouble()
        exif.software = row.optionalText()
        exif.artist = row.optionalText()
        exif.copyright = row.optionalText()
        exif.title = row.optionalText()
        exif.description = row.optionalText()
        exif.creator = row.optionalText()
        exif.rating = row.optionalInt()
        exif.takenSource = row.optionalText().flatMap(TakenSource.init(rawValue:))
        exif.focalLength35mm = row.optionalInt()
        exif.flash = row.optionalInt()
        let fingerprints = ImageFingerprints(pixelSHA512: row.optionalText(),
                                             perceptualHash: row.optionalInt().map { UInt64(bitPattern: Int64($0)) })
        let fingerprintVersion = row.optionalInt()
        exif.takenTag = row.optionalText()
        let warnings = row.optionalText().map(unjoined) ?? []
        // The stored instant is the GPS fallback exactly when the offset gives none.
        let storedUTC = row.optionalInt().map { Timestamp(microseconds: Int64($0)) }
        if exif.takenUTC == nil { exif.gpsDateTime = storedUTC }
        exif.keywords = row.optionalText().map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
        var record = ImageRecord(id: id, sha512: sha512, originalName: originalName, originalPath: originalPath,
                                 owner: owner, uploadedAt: uploadedAt, byteSize: byteSize, format: format,
                                 width: width, height: height, exifStatus: exifStatus, exif: exif)
        record.fingerprints = fingerprints
        record.fingerprintVersion = fingerprintVersion
        record.warnings = warnings
        return record
    }
}
