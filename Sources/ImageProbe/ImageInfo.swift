/// What the probe learned about a file from its headers, without decoding pixels.
public struct ImageInfo: Hashable, Sendable {
    public var format: ImageFormat
    public var width: Int?
    public var height: Int?
    /// The EXIF payload starting at its TIFF header (`II*\0` or `MM\0*`), when the container
    /// carries one: JPEG APP1 `Exif\0\0`; PNG `eXIf`, else a `Raw profile type exif` text chunk;
    /// WebP `EXIF`; HEIF/HEIC/AVIF's `Exif` item; a TIFF's own IFD0, Exif and GPS directories,
    /// copied into a compact payload. Any `Exif\0\0` prefix is stripped.
    public var exif: [UInt8]?
    /// The XMP packet (XML, normally UTF-8) when the container carries one: JPEG APP1
    /// `http://ns.adobe.com/xap/1.0/`; PNG iTXt `XML:com.adobe.xmp` (uncompressed); WebP `XMP `;
    /// HEIF/HEIC/AVIF's `mime` item of type `application/rdf+xml`; TIFF tag 700. At most 1 MiB.
    public var xmp: [UInt8]?
    /// A JPEG's APP12 "Picture Info" fields (cameras of the late 1990s that wrote no EXIF).
    public var pictureInfo: PictureInfo?
    /// A JPEG's Canon CIFF heap fields (APP0; early PowerShots that wrote no EXIF).
    public var canonCIFF: CanonCIFF?
    /// Why the file's structure is broken (e.g. "truncated: no end-of-image marker after scan data"),
    /// or nil when it is complete.
    public var damage: String?
    /// Oddities that do not make the file damaged.
    public var warnings: [String]

    public init(format: ImageFormat, width: Int? = nil, height: Int? = nil, exif: [UInt8]? = nil,
                damage: String? = nil, warnings: [String] = [], xmp: [UInt8]? = nil, pictureInfo: PictureInfo? = nil,
                canonCIFF: CanonCIFF? = nil) {
        self.format = format; self.width = width; self.height = height; self.exif = exif
        self.damage = damage; self.warnings = warnings; self.xmp = xmp; self.pictureInfo = pictureInfo
        self.canonCIFF = canonCIFF
    }
}

extension ImageInfo {
    /// Records `reason` unless an earlier problem was already recorded: the first break in a
    /// structure explains the ones that follow from it.
    mutating func noteDamage(_ reason: String) {
        if damage == nil { damage = reason }
    }

    /// Sets the dimensions, treating 0 (unknown or invalid in every format here) as absent.
    mutating func setSize(width: Int, height: Int) {
        self.width = width > 0 ? width : nil
        self.height = height > 0 ? height : nil
    }
}
