import ImageProbe
import ImgrepoCore

/// A 128-character lower-case hex digest starting with `seed` (itself hex).
func digest(_ seed: String) -> String {
    precondition(seed.count <= 128 && seed.allSatisfy(\.isHexDigit))
    return seed + String(repeating: "0", count: 128 - seed.count)
}

/// 2023-11-14T22:13:20Z plus `seconds`.
func instant(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: (1_700_000_000 + seconds) * 1_000_000)
}

/// A new image with plain defaults; tests override what they look at.
func sample(
    _ seed: String,
    name: String = "photo.jpg",
    path: String? = "/home/alice/photo.jpg",
    owner: String = "alice",
    uploadedAt: Timestamp = instant(0),
    byteSize: Int64 = 1_000,
    format: ImageFormat = .jpeg,
    width: Int? = 640,
    height: Int? = 480,
    exif: ExifData = .absent
) -> NewImage {
    NewImage(sha512: digest(seed), originalName: name, originalPath: path, owner: owner, uploadedAt: uploadedAt,
             byteSize: byteSize, format: format, width: width, height: height, exif: exif)
}

/// EXIF with a capture time and camera, the rest empty.
func camera(make: String?, model: String?, taken: String? = nil, offset: String? = nil) -> ExifData {
    var summary = ExifSummary()
    summary.make = make
    summary.model = model
    summary.takenLocal = taken
    summary.takenOffset = offset
    return ExifData(status: .read, summary: summary)
}

/// The record a store should hold for `image` under `id`.
func expectedRecord(_ image: NewImage, id: Int64) -> ImageRecord {
    var record = ImageRecord(id: id, sha512: image.sha512, originalName: image.originalName, originalPath: image.originalPath,
                             owner: image.owner, uploadedAt: image.uploadedAt, byteSize: image.byteSize, format: image.format,
                             width: image.width, height: image.height, exifStatus: image.exif.status, exif: image.exif.summary)
    record.fingerprints = image.fingerprints
    record.fingerprintVersion = image.fingerprintVersion
    record.warnings = image.warnings
    return record
}

extension MetadataStore {
    /// Inserts `image`, requiring a new row, and returns its id.
    func store(_ image: NewImage) throws -> Int64 {
        let outcome = try insert(image)
        guard case .stored(let id) = outcome else {
            throw SampleError.expectedStored(outcome)
        }
        return id
    }
}

enum SampleError: Error {
    case expectedStored(InsertOutcome)
}

/// EXIF with the fields queries look at; the rest empty.
func exif(make: String? = nil, model: String? = nil, taken: String? = nil, offset: String? = nil, iso: Int? = nil,
          fNumber: Double? = nil, latitude: Double? = nil, longitude: Double? = nil) -> ExifData {
    var summary = ExifSummary()
    summary.make = make
    summary.model = model
    summary.takenLocal = taken
    summary.takenOffset = offset
    summary.iso = iso.map(Double.init)
    summary.fNumber = fNumber
    summary.gpsLatitude = latitude
    summary.gpsLongitude = longitude
    return ExifData(status: .read, summary: summary)
}

/// The value `field` has for `image`, as a query would compare it; nil for NULL.
func fieldValue(_ field: QueryField, of image: NewImage, id: Int64) -> QueryValue? {
    let e = image.exif.summary
    func int(_ v: Int?) -> QueryValue? { v.map { .integer(Int64($0)) } }
    func real(_ v: Double?) -> QueryValue? { v.map { .real($0) } }
    func text(_ v: String?) -> QueryValue? { v.map { .text($0) } }
    switch field {
    case .id: return .integer(id)
    case .sha512: return .text(image.sha512)
    case .name: return .text(image.originalName)
    case .path: return text(image.originalPath)
    case .owner: return .text(image.owner)
    case .uploaded: return .integer(image.uploadedAt.microseconds)
    case .size: return .integer(image.byteSize)
    case .format: return .text(image.format.rawValue)
    case .width: return int(image.width)
    case .height: return int(image.height)
    case .pixels:
        guard let w = image.width, let h = image.height else { return nil }
        return .integer(Int64(w * h))
    case .exif: return .text(image.exif.status.rawValue)
    case .make: return text(e.make)
    case .model: return text(e.model)
    case .lens: return text(e.lens)
    case .taken: return text(e.takenLocal)
    case .takenUTC: return e.takenUTC.map { .integer($0.microseconds) }
    case .exposure: return real(e.exposureTime)
    case .fnumber: return real(e.fNumber)
    case .iso: return real(e.iso)
    case .focal: return real(e.focalLength)
    case .orientation: return int(e.orientation)
    case .latitude: return real(e.gpsLatitude)
    case .longitude: return real(e.gpsLongitude)
    case .altitude: return real(e.gpsAltitude)
    case .software: return text(e.software)
    case .artist: return text(e.artist)
    case .copyright: return text(e.copyright)
    case .title: return text(e.title)
    case .descriptionText: return text(e.description)
    case .creator: return text(e.creator)
    case .rating: return int(e.rating)
    case .focal35: return int(e.focalLength35mm)
    case .flash: return int(e.flash)
    case .pixelHash: return text(image.fingerprints.pixelSHA512)
    // Sorting uses the smallest keyword (QueryField.keyword).
    case .keyword: return text(e.keywords.min { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}

/// Total order over non-NULL values of one field (numbers numerically, text byte-wise).
func precedes(_ a: QueryValue, _ b: QueryValue) -> Bool {
    switch (a, b) {
    case (.integer(let x), .integer(let y)): x < y
    case (.real(let x), .real(let y)): x < y
    case (.integer(let x), .real(let y)): Double(x) < y
    case (.real(let x), .integer(let y)): x < Double(y)
    case (.text(let x), .text(let y)): Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
    default: false
    }
}

/// The ids of `images` (stored under `ids`) in the order `sort` defines: NULLs last in either
/// direction, ties broken by id in the last key's direction.
func referenceOrder(_ images: [NewImage], ids: [Int64], sort: [SortOrder]) -> [Int64] {
    let tieDescending = sort.last?.descending ?? false
    let rows = Array(zip(images, ids))
    return rows.sorted { a, b in
        for key in sort {
            let x = fieldValue(key.field, of: a.0, id: a.1), y = fieldValue(key.field, of: b.0, id: b.1)
            switch (x, y) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x == y { continue }
                if case .real(let p) = x, case .real(let q) = y, p == q { continue }
                return key.descending ? precedes(y, x) : precedes(x, y)
            }
        }
        return tieDescending ? a.1 > b.1 : a.1 < b.1
    }.map(\.1)
}
