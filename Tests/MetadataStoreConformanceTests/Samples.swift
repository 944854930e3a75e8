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
    ImageRecord(id: id, sha512: image.sha512, originalName: image.originalName, originalPath: image.originalPath,
                owner: image.owner, uploadedAt: image.uploadedAt, byteSize: image.byteSize, format: image.format,
                width: image.width, height: image.height, exifStatus: image.exif.status, exif: image.exif.summary)
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
