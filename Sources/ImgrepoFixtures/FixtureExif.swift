/// The EXIF fields a fixture image carries. Every field is optional: nil means the tag is not
/// written at all.
public struct FixtureExif: Sendable {
    /// The byte order of the TIFF structure (`MM` or `II`).
    public enum ByteOrder: Sendable {
        case bigEndian, littleEndian
    }

    public var make: String?
    public var model: String?
    public var lensModel: String?
    public var software: String?
    public var artist: String?
    public var copyright: String?
    /// EXIF text, `2023:06:01 12:34:56`.
    public var dateTimeOriginal: String?
    /// Digits, `123`.
    public var subSecTimeOriginal: String?
    /// `+02:00`.
    public var offsetTimeOriginal: String?
    /// Seconds as numerator and denominator, `(1, 250)`.
    public var exposureTime: (UInt32, UInt32)?
    /// `(28, 10)` for f/2.8.
    public var fNumber: (UInt32, UInt32)?
    public var iso: UInt16?
    /// Millimetres as numerator and denominator.
    public var focalLength: (UInt32, UInt32)?
    /// FocalLengthIn35mmFormat, millimetres.
    public var focalLength35mm: UInt16?
    /// The EXIF Flash value (`0x19`: fired, auto mode).
    public var flash: UInt16?
    public var orientation: UInt16?
    /// Signed decimal degrees, south negative.
    public var gpsLatitude: Double?
    /// Signed decimal degrees, west negative.
    public var gpsLongitude: Double?
    /// Metres, negative below sea level.
    public var gpsAltitude: Double?
    /// Writes GPS latitude and longitude as SRATIONAL, as some Nokia phones do.
    public var signedGPSRationals: Bool
    public var byteOrder: ByteOrder

    public init(make: String? = nil, model: String? = nil, lensModel: String? = nil, software: String? = nil,
                artist: String? = nil, copyright: String? = nil, dateTimeOriginal: String? = nil,
                subSecTimeOriginal: String? = nil, offsetTimeOriginal: String? = nil,
                exposureTime: (UInt32, UInt32)? = nil, fNumber: (UInt32, UInt32)? = nil, iso: UInt16? = nil,
                focalLength: (UInt32, UInt32)? = nil, orientation: UInt16? = nil, gpsLatitude: Double? = nil,
                gpsLongitude: Double? = nil, gpsAltitude: Double? = nil, signedGPSRationals: Bool = false,
                byteOrder: ByteOrder = .littleEndian, focalLength35mm: UInt16? = nil, flash: UInt16? = nil) {
        self.focalLength35mm = focalLength35mm; self.flash = flash
        self.make = make; self.model = model; self.lensModel = lensModel; self.software = software
        self.artist = artist; self.copyright = copyright; self.dateTimeOriginal = dateTimeOriginal
        self.subSecTimeOriginal = subSecTimeOriginal; self.offsetTimeOriginal = offsetTimeOriginal
        self.exposureTime = exposureTime; self.fNumber = fNumber; self.iso = iso; self.focalLength = focalLength
        self.orientation = orientation; self.gpsLatitude = gpsLatitude; self.gpsLongitude = gpsLongitude
        self.gpsAltitude = gpsAltitude; self.signedGPSRationals = signedGPSRationals; self.byteOrder = byteOrder
    }

    /// A fully populated example: every field set, northern and eastern hemisphere.
    public static let sample = FixtureExif(
        make: "Canon", model: "Canon EOS R5", lensModel: "RF24-105mm F4 L IS USM", software: "imgrepo-fixtures 1.0",
        artist: "Ada Example", copyright: "© 2023 Ada Example", dateTimeOriginal: "2023:06:01 12:34:56",
        subSecTimeOriginal: "123", offsetTimeOriginal: "+02:00", exposureTime: (1, 250), fNumber: (28, 10),
        iso: 400, focalLength: (50, 1), orientation: 6, gpsLatitude: 48.858_222, gpsLongitude: 2.294_500,
        gpsAltitude: 35.5, focalLength35mm: 80, flash: 0x19)
}
