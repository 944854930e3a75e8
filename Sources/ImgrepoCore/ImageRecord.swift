import ImageProbe

/// The typed metadata fields imgrepo indexes, each in its own catalogue column (keywords in
/// their own table): EXIF's, and XMP's descriptive fields (`XMPSummary`, merged by
/// `merge(xmp:)`).
///
/// Values follow exiftool's `-n` conventions: rationals as decimals, GPS as signed degrees
/// (south and west negative), altitude in metres (negative below sea level).
public struct ExifSummary: Hashable, Sendable, Codable {
    public var make: String?
    public var model: String?
    public var lens: String?
    /// Capture time as the camera's wall clock, `YYYY-MM-DDTHH:MM:SS[.fff]`, no offset.
    public var takenLocal: String?
    /// The camera's UTC offset for `takenLocal` (`+02:00`), from OffsetTimeOriginal, when known.
    public var takenOffset: String?
    public var exposureTime: Double?
    public var fNumber: Double?
    /// ISO speed. A whole number from every EXIF tag, but not always from a maker note: exiftool's
    /// Composite ISO for old Canons is BaseISO × AutoISO / 100 (64.8419…), kept as it is.
    public var iso: Double?
    public var focalLength: Double?
    /// FocalLengthIn35mmFormat (Exif 0xA405), whole millimetres; absent when the camera wrote 0
    /// ("unknown").
    public var focalLength35mm: Int?
    /// The EXIF Flash value (0x9209) as stored: bit 0 is "fired", bits 1–2 the return light,
    /// bits 3–4 the mode, bit 5 "no flash function", bit 6 red-eye reduction.
    public var flash: Int?
    /// EXIF orientation, 1–8.
    public var orientation: Int?
    public var gpsLatitude: Double?
    public var gpsLongitude: Double?
    public var gpsAltitude: Double?
    public var software: String?
    public var artist: String?
    public var copyright: String?

    /// XMP `dc:title` (the `x-default` alternative, else the first).
    public var title: String?
    /// XMP `dc:description` (the `x-default` alternative, else the first).
    public var description: String?
    /// XMP `dc:subject`, in the packet's order, without empty or repeated entries.
    public var keywords: [String] = []
    /// XMP `xmp:Rating`: -1 (rejected) to 5, 0 meaning unrated.
    public var rating: Int?
    /// XMP `dc:creator`, its entries joined by "; ".
    public var creator: String?
    /// Where `takenLocal` came from: EXIF, or XMP when EXIF has no capture time.
    public var takenSource: TakenSource?
    /// The tag that gave `takenLocal`, exiftool's `Group:Tag` name: `EXIF:DateTimeOriginal`,
    /// else `MakerNotes:DateTimeOriginal` (Reconyx), else `EXIF:CreateDate` (DateTimeDigitized),
    /// else XMP's `XMP:DateTimeOriginal`, `XMP:DateCreated` (photoshop) or `XMP:CreateDate`,
    /// else `APP12:DateTimeOriginal` (JPEG "Picture Info") or `CIFF:DateTimeOriginal` (a Canon
    /// CIFF heap in JPEG APP0), else `EXIF:ModifyDate` (IFD0
    /// DateTime, the time the file was last changed, so the last resort).
    public var takenTag: String?

    public init() {}

    /// `takenTag` for IFD0 DateTime, which XMP's creation dates outrank.
    public static let modifyDateTag = "EXIF:ModifyDate"

    /// The GPS receiver's date and time of the fix, in UTC (GPSDateStamp and GPSTimeStamp):
    /// `takenUTC`'s fallback when the camera recorded no offset.
    public var gpsDateTime: Timestamp?

    /// The capture instant in UTC: `takenLocal` at the camera's offset when it recorded one,
    /// else the GPS date and time (the fix's moment, which a camera records at or shortly
    /// before the shot), else unknown.
    public var takenUTC: Timestamp? {
        if let local = takenLocal, let offset = takenOffset, let instant = Timestamp(iso8601: local + offset) { return instant }
        return gpsDateTime
    }
}

/// Which metadata block gave an image's capture time.
public enum TakenSource: String, Hashable, Sendable, Codable {
    case exif, xmp
}

/// The fields imgrepo takes from an XMP packet (docs/metadata.md).
public struct XMPSummary: Hashable, Sendable {
    public var title: String?
    public var description: String?
    public var keywords: [String] = []
    public var rating: Int?
    public var creator: String?
    /// The capture time (`exif:DateTimeOriginal`, else `photoshop:DateCreated`, else
    /// `xmp:CreateDate`) as `YYYY-MM-DDTHH:MM:SS[.ffffff]`, when it has at least minutes.
    public var takenLocal: String?
    /// Its offset (`+02:00`; `Z` is `+00:00`), when the date carried one.
    public var takenOffset: String?
    /// `tiff:Orientation`, 1–8.
    public var orientation: Int?
    /// The property that gave `takenLocal`: `XMP:DateTimeOriginal`, `XMP:DateCreated` or
    /// `XMP:CreateDate`.
    public var takenTag: String?

    public init() {}
}

/// What reading an image's XMP packet came to.
public struct XMPData: Hashable, Sendable {
    /// The fields found; empty when the packet could not be parsed.
    public var summary: XMPSummary
    /// Problems met (a packet that is not well-formed, a refused DOCTYPE, a value out of range).
    public var warnings: [String]
    /// Every simple property and array item of the packet, as tags for `details`: `ifd` is the
    /// namespace as exiftool groups it (`XMP-dc`, `XMP-xmp`, …), `name` the property (with
    /// `-lang` for a language alternative other than x-default), `tagID` 0, `number` the value
    /// when it is a plain number. In document order, at most `maximumTags`.
    public var tags: [ExifTag]

    /// The most XMP tags kept for one image.
    public static let maximumTags = 1_000

    public init(summary: XMPSummary = XMPSummary(), warnings: [String] = [], tags: [ExifTag] = []) {
        self.summary = summary; self.warnings = warnings; self.tags = tags
    }
}

/// Turns an XMP packet into `XMPData`. Never throws and never traps: a packet that cannot be
/// parsed yields warnings and no fields.
public protocol XMPDecoding: Sendable {
    func decode(xmp: [UInt8]) -> XMPData
}

/// An EXIF decoder and an XMP decoder as one `ExifDecoding` value, which is how the
/// composition root hands both to `RepositoryServices.exifDecoder`: upload asks the EXIF
/// decoder whether it also decodes XMP.
public struct MetadataDecoders: ExifDecoding, XMPDecoding {
    public var exif: any ExifDecoding
    public var xmp: any XMPDecoding

    public init(exif: any ExifDecoding, xmp: any XMPDecoding) { self.exif = exif; self.xmp = xmp }

    public func decode(tiff: [UInt8]) -> ExifData { exif.decode(tiff: tiff) }
    public func decode(xmp packet: [UInt8]) -> XMPData { xmp.decode(xmp: packet) }
}

extension ExifSummary {
    /// Takes XMP's descriptive fields, its capture time where EXIF has none or only the
    /// file's modification time (IFD0 DateTime), and its orientation where EXIF has none;
    /// records where the capture time came from.
    public mutating func merge(xmp: XMPSummary?) {
        if takenLocal != nil { takenSource = .exif }
        guard let xmp else { return }
        title = xmp.title
        description = xmp.description
        keywords = xmp.keywords
        rating = xmp.rating
        creator = xmp.creator
        if takenLocal == nil || takenTag == Self.modifyDateTag, let local = xmp.takenLocal {
            takenLocal = local
            takenOffset = xmp.takenOffset
            takenSource = .xmp
            takenTag = xmp.takenTag
        }
        if orientation == nil { orientation = xmp.orientation }
    }
}

/// One EXIF entry as libexif yields it.
public struct ExifTag: Hashable, Sendable, Codable {
    /// The IFD holding the tag: `IFD0`, `IFD1`, `ExifIFD`, `GPS` or `InteropIFD`; for an XMP
    /// property its namespace group (`XMP-dc`, `XMPData.tags`).
    public var ifd: String
    /// libexif's name for the tag (`DateTimeOriginal`), or `0x9011`-style hex when it has none.
    public var name: String
    public var tagID: Int
    /// The value as libexif renders it.
    public var text: String
    /// The value as a number when the tag holds a single numeric component.
    public var number: Double?

    public init(ifd: String, name: String, tagID: Int, text: String, number: Double?) {
        self.ifd = ifd; self.name = name; self.tagID = tagID; self.text = text; self.number = number
    }
}

/// What reading an image's EXIF came to.
public enum ExifStatus: String, Sendable, Codable, Hashable {
    /// The file carries no EXIF block.
    case absent
    /// The block was parsed.
    case read
    /// The file carries a block that could not be parsed; the image is stored all the same.
    case unreadable
}

/// Everything extracted from an image's EXIF block.
public struct ExifData: Hashable, Sendable {
    public var status: ExifStatus
    public var summary: ExifSummary
    public var tags: [ExifTag]
    /// Problems met while parsing, in the decoder's own words.
    public var warnings: [String]

    public init(status: ExifStatus, summary: ExifSummary = ExifSummary(), tags: [ExifTag] = [], warnings: [String] = []) {
        self.status = status; self.summary = summary; self.tags = tags; self.warnings = warnings
    }

    public static let absent = ExifData(status: .absent)
}

/// An image about to be catalogued: everything but its id.
public struct NewImage: Hashable, Sendable {
    /// Lower-case hex SHA-512 of the file's bytes (128 characters).
    public var sha512: String
    /// The file name it was uploaded under (no folder).
    public var originalName: String
    /// The absolute path it was uploaded from, or nil for standard input.
    public var originalPath: String?
    public var owner: String
    public var uploadedAt: Timestamp
    public var byteSize: Int64
    public var format: ImageFormat
    public var width: Int?
    public var height: Int?
    public var exif: ExifData
    /// What the pixels hash to, as far as computed (nothing by default).
    public var fingerprints = ImageFingerprints()
    /// The `ImageFingerprinting.algorithmVersion` that computed `fingerprints`; nil when none was.
    public var fingerprintVersion: Int?
    /// `upload --dedup pixels`: when an image with the same `fingerprints.pixelSHA512` is already
    /// catalogued, record this upload as another name of it instead of as a new image.
    public var deduplicatePixels = false
    /// What went wrong reading the file's structure and metadata without stopping the upload
    /// (allowed damage, `exif: …`, `xmp: …`), kept with the image for `details`.
    public var warnings: [String] = []

    public init(sha512: String, originalName: String, originalPath: String?, owner: String, uploadedAt: Timestamp,
                byteSize: Int64, format: ImageFormat, width: Int?, height: Int?, exif: ExifData) {
        self.sha512 = sha512; self.originalName = originalName; self.originalPath = originalPath
        self.owner = owner; self.uploadedAt = uploadedAt; self.byteSize = byteSize; self.format = format
        self.width = width; self.height = height; self.exif = exif
    }
}

/// A catalogued image. Tags and known names are fetched separately (`MetadataStore.exifTags`,
/// `MetadataStore.knownNames`) since listing does not need them.
public struct ImageRecord: Hashable, Sendable {
    /// Assigned by the catalogue, increasing, never reused.
    public var id: Int64
    public var sha512: String
    public var originalName: String
    public var originalPath: String?
    public var owner: String
    public var uploadedAt: Timestamp
    public var byteSize: Int64
    public var format: ImageFormat
    public var width: Int?
    public var height: Int?
    public var exifStatus: ExifStatus
    public var exif: ExifSummary
    /// The pixel hash and perceptual hash, where computed (`upload`, `index`).
    public var fingerprints = ImageFingerprints()
    /// The algorithm version that computed `fingerprints`, nil when nothing was.
    public var fingerprintVersion: Int?
    /// The problems met reading the file when it was uploaded (`NewImage.warnings`).
    public var warnings: [String] = []

    public init(id: Int64, sha512: String, originalName: String, originalPath: String?, owner: String,
                uploadedAt: Timestamp, byteSize: Int64, format: ImageFormat, width: Int?, height: Int?,
                exifStatus: ExifStatus, exif: ExifSummary) {
        self.id = id; self.sha512 = sha512; self.originalName = originalName; self.originalPath = originalPath
        self.owner = owner; self.uploadedAt = uploadedAt; self.byteSize = byteSize; self.format = format
        self.width = width; self.height = height; self.exifStatus = exifStatus; self.exif = exif
    }

    public var mimeType: String { format.mimeType }
}

/// A name under which an image was uploaded. The first upload's name is one of them.
public struct KnownName: Hashable, Sendable {
    public var name: String
    public var path: String?
    public var owner: String
    public var addedAt: Timestamp

    public init(name: String, path: String?, owner: String, addedAt: Timestamp) {
        self.name = name; self.path = path; self.owner = owner; self.addedAt = addedAt
    }
}

/// What `MetadataStore.insert` did.
public enum InsertOutcome: Hashable, Sendable {
    /// A new image row was created with this id.
    case stored(id: Int64)
    /// The SHA-512 was already catalogued under this id; the name was added to its known names.
    case duplicate(id: Int64)
    /// The bytes were new but the pixels were not (`NewImage.deduplicatePixels`): the name was
    /// added to the known names of the image with the same pixel hash, under this id.
    case samePixels(id: Int64)

    public var id: Int64 {
        switch self { case .stored(let id), .duplicate(let id), .samePixels(let id): id }
    }

    /// Whether a new image row was created.
    public var isStored: Bool { if case .stored = self { true } else { false } }
}
