import ImgrepoCore

extension ImageRecord {
    /// The record as `list --json` prints it; docs/json.md documents every field.
    var json: JSON {
        .object(jsonFields)
    }

    var jsonFields: [(String, JSON)] {
        [
            ("id", .int(id)),
            ("sha512", .string(sha512)),
            ("name", .string(originalName)),
            ("path", .string(originalPath)),
            ("owner", .string(owner)),
            ("uploaded_at", .string(uploadedAt.iso8601)),
            ("size", .int(byteSize)),
            ("format", .string(format.rawValue)),
            ("mime_type", .string(mimeType)),
            ("width", .int(width)),
            ("height", .int(height)),
            ("exif_status", .string(exifStatus.rawValue)),
            ("make", .string(exif.make)),
            ("model", .string(exif.model)),
            ("lens", .string(exif.lens)),
            ("taken_at", .string(exif.takenLocal.map { $0 + (exif.takenOffset ?? "") })),
            ("taken_local", .string(exif.takenLocal)),
            ("taken_offset", .string(exif.takenOffset)),
            ("taken_utc", .string(exif.takenUTC?.iso8601)),
            ("exposure_time", .double(exif.exposureTime)),
            ("f_number", .double(exif.fNumber)),
            ("iso", .int(exif.iso)),
            ("focal_length", .double(exif.focalLength)),
            ("orientation", .int(exif.orientation)),
            ("gps_latitude", .double(exif.gpsLatitude)),
            ("gps_longitude", .double(exif.gpsLongitude)),
            ("gps_altitude", .double(exif.gpsAltitude)),
            ("software", .string(exif.software)),
            ("artist", .string(exif.artist)),
            ("copyright", .string(exif.copyright)),
        ]
    }
}

extension KnownName {
    var json: JSON {
        .object([("name", .string(name)), ("path", .string(path)), ("owner", .string(owner)), ("added_at", .string(addedAt.iso8601))])
    }
}

extension ExifTag {
    var json: JSON {
        .object([("ifd", .string(ifd)), ("name", .string(name)), ("tag_id", .int(Int64(tagID))),
                 ("value", .string(text)), ("number", .double(number))])
    }
}
