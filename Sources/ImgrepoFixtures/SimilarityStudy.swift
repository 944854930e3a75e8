/// The robustness study of the perceptual hash (issue 8, docs/duplicates.md): varied source
/// pictures, an original file for each, and the edits a user's tools make to a file. Shared by
/// `imgrepo-simeval`, which measures the whole set, and the fingerprint tests, which check a
/// few sources of it, so that both measure the same thing.
public enum SimilarityStudy {
    /// One source picture: what the original and every variant are made from.
    public struct Source {
        /// Unique in a study, e.g. "shapes-3" or "photo:gps/DSCN0010.jpg".
        public var name: String
        /// "gradient", "shapes", "text", "texture", "photo-like" or "photo".
        public var kind: String
        public var picture: FixturePicture

        public init(name: String, kind: String, picture: FixturePicture) {
            self.name = name; self.kind = kind; self.picture = picture
        }
    }

    /// An image file of the study: its bytes, encoding ("jpeg", "png" or "webp", the
    /// `ImageFormat` raw values) and the EXIF orientation a reader finds in it.
    public struct File {
        public var bytes: [UInt8]
        public var encoding: String
        public var orientation: Int
    }

    /// What is done to the original file to make a variant.
    public enum Transformation: String, CaseIterable, Sendable {
        case jpeg50 = "jpeg-q50", jpeg75 = "jpeg-q75", jpeg95 = "jpeg-q95"
        case resize25 = "resize-25", resize50 = "resize-50", resize150 = "resize-150", resize200 = "resize-200"
        case crop2 = "crop-2", crop5 = "crop-5"
        case brighter10 = "brightness+10", darker10 = "brightness-10"
        case png, webp
        case exifStripped = "exif-stripped", exifChanged = "exif-changed"
        case rotated6 = "rotated-6", rotated8 = "rotated-8"
        /// Not in the target: a one-sided crop, the hardest crop for a global hash.
        case crop5Corner = "crop-5-corner"
        /// Not in the target: only the orientation tag changed, so the picture *looks* turned
        /// by 90°; found by the pixel hash, not the perceptual one.
        case orientationTagOnly = "orientation-tag-only"

        /// The edits issue 8 requires "similar" to find within the default distance.
        public var inTarget: Bool { self != .crop5Corner && self != .orientationTagOnly }

        /// What the edit is, for tables.
        public var summary: String {
            switch self {
            case .jpeg50: "decoded and re-encoded as JPEG at quality 50"
            case .jpeg75: "re-encoded as JPEG at quality 75"
            case .jpeg95: "re-encoded as JPEG at quality 95"
            case .resize25: "resized to 25% (area averaging), JPEG q90"
            case .resize50: "resized to 50%, JPEG q90"
            case .resize150: "resized to 150%, JPEG q90"
            case .resize200: "resized to 200%, JPEG q90"
            case .crop2: "2% of width and height cut, half from each edge, JPEG q90"
            case .crop5: "5% of width and height cut, half from each edge, JPEG q90"
            case .brighter10: "every channel ×1.10 (clipped), JPEG q90"
            case .darker10: "every channel ×0.90, JPEG q90"
            case .png: "converted to PNG"
            case .webp: "converted to lossy WebP at quality 80"
            case .exifStripped: "the same JPEG data without its EXIF block"
            case .exifChanged: "the same JPEG data with other EXIF (make, model, date)"
            case .rotated6: "pixels turned 90° anticlockwise, tagged orientation 6 (looks the same), JPEG q90"
            case .rotated8: "pixels turned 90° clockwise, tagged orientation 8 (looks the same), JPEG q90"
            case .crop5Corner: "5% of width and height cut from the left and top edges only, JPEG q90"
            case .orientationTagOnly: "the same JPEG data tagged orientation 6: looks turned by 90°"
            }
        }
    }

    /// The EXIF of every original file: a camera's, upright.
    public static let originalExif = FixtureExif(
        make: "Canon", model: "Canon EOS R5", software: "imgrepo-simeval", dateTimeOriginal: "2023:06:01 12:34:56",
        exposureTime: (1, 250), fNumber: (28, 10), iso: 400, orientation: 1)

    /// Other EXIF, as another tool or camera would write it.
    public static let changedExif = FixtureExif(
        make: "NIKON CORPORATION", model: "NIKON D70", software: "darktable 4.6", artist: "Someone Else",
        dateTimeOriginal: "2019:01:02 03:04:05", iso: 200, orientation: 1, byteOrder: .bigEndian)

    /// Thirty synthetic sources, six of each kind, `width`×`height` (every third one turned to
    /// portrait), all different by construction.
    public static func syntheticSources(width: Int = 640, height: Int = 480) -> [Source] {
        let kinds: [(String, (Int, Int, UInt32) -> FixturePicture)] = [
            ("gradient", FixturePicture.gradient), ("shapes", FixturePicture.shapes), ("text", FixturePicture.text),
            ("texture", FixturePicture.texture), ("photo-like", FixturePicture.photoLike),
        ]
        var sources: [Source] = []
        for (kind, draw) in kinds {
            for i in 1...6 {
                let (w, h) = i % 3 == 0 ? (height, width) : (width, height)
                let seed = UInt32(truncatingIfNeeded: kind.utf8.reduce(0) { $0 &* 31 &+ Int($1) }) &+ UInt32(i) &* 7919
                sources.append(Source(name: "\(kind)-\(i)", kind: kind, picture: draw(w, h, seed)))
            }
        }
        return sources
    }

    /// A real photo as a source, shrunk so that its longer side is at most `maxSide` (the study
    /// makes 200% copies); nil when libgd cannot decode it.
    public static func photoSource(name: String, bytes: [UInt8], maxSide: Int = 1600) -> Source? {
        guard let picture = FixturePicture(decoding: bytes) else { return nil }
        let longer = max(picture.width, picture.height)
        guard longer > maxSide else { return Source(name: name, kind: "photo", picture: picture) }
        let (w, h) = (max(1, picture.width * maxSide / longer), max(1, picture.height * maxSide / longer))
        return Source(name: name, kind: "photo", picture: picture.resized(width: w, height: h))
    }

    /// The original file of `source`: JPEG quality 90 with `originalExif`.
    public static func original(of source: Source) -> File {
        File(bytes: source.picture.jpeg(quality: 90, exif: originalExif), encoding: "jpeg", orientation: 1)
    }

    /// The variant `transformation` makes of `original`, as a user's tool would: pixel edits
    /// start from the original file's decoded pixels, metadata edits from its bytes.
    public static func variant(_ transformation: Transformation, of original: File) -> File {
        guard let decoded = FixturePicture(decoding: original.bytes) else { preconditionFailure("libgd cannot decode the original") }
        let (w, h) = (decoded.width, decoded.height)
        func jpeg(_ picture: FixturePicture, quality: Int = 90, orientation: UInt16 = 1) -> File {
            var exif = originalExif
            exif.orientation = orientation
            return File(bytes: picture.jpeg(quality: quality, exif: exif), encoding: "jpeg", orientation: Int(orientation))
        }
        func scaled(_ percent: Int) -> FixturePicture {
            decoded.resized(width: max(1, (w * percent + 50) / 100), height: max(1, (h * percent + 50) / 100))
        }
        func centreCrop(_ percent: Int) -> FixturePicture {
            let (cw, ch) = ((w * percent + 50) / 100, (h * percent + 50) / 100)
            return decoded.cropped(left: cw / 2, top: ch / 2, right: cw - cw / 2, bottom: ch - ch / 2)
        }
        switch transformation {
        case .jpeg50: return jpeg(decoded, quality: 50)
        case .jpeg75: return jpeg(decoded, quality: 75)
        case .jpeg95: return jpeg(decoded, quality: 95)
        case .resize25: return jpeg(scaled(25))
        case .resize50: return jpeg(scaled(50))
        case .resize150: return jpeg(scaled(150))
        case .resize200: return jpeg(scaled(200))
        case .crop2: return jpeg(centreCrop(2))
        case .crop5: return jpeg(centreCrop(5))
        case .crop5Corner:
            return jpeg(decoded.cropped(left: (w * 5 + 50) / 100, top: (h * 5 + 50) / 100, right: 0, bottom: 0))
        case .brighter10: return jpeg(decoded.brightness(1.1))
        case .darker10: return jpeg(decoded.brightness(0.9))
        case .png: return File(bytes: decoded.png(), encoding: "png", orientation: 1)
        case .webp: return File(bytes: decoded.webp(quality: 80), encoding: "webp", orientation: 1)
        case .exifStripped: return File(bytes: Fixtures.replacingExif(in: original.bytes, with: nil), encoding: "jpeg", orientation: 1)
        case .exifChanged:
            return File(bytes: Fixtures.replacingExif(in: original.bytes, with: changedExif), encoding: "jpeg", orientation: 1)
        // Orientation 6 shows the stored pixels turned clockwise; store them turned the other way.
        case .rotated6: return jpeg(decoded.rotated(clockwiseQuarterTurns: 3), orientation: 6)
        case .rotated8: return jpeg(decoded.rotated(clockwiseQuarterTurns: 1), orientation: 8)
        case .orientationTagOnly:
            var exif = originalExif
            exif.orientation = 6
            return File(bytes: Fixtures.replacingExif(in: original.bytes, with: exif), encoding: "jpeg", orientation: 6)
        }
    }
}
