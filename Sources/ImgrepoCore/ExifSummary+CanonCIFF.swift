import ImageProbe

extension ExifSummary {
    /// `takenTag` for the capture time of a JPEG's Canon CIFF heap (APP0).
    public static let canonCIFFTag = "CIFF:DateTimeOriginal"

    /// Fills the gaps EXIF and XMP left from a Canon CIFF heap. In a JPEG the heap's APP0
    /// segment comes before APP1, and exiftool lets the later EXIF values of the same name win
    /// (FocalLength also has priority 0), so the heap only fills gaps. Its capture time counts as
    /// camera metadata (`takenSource` `.exif`) and, like APP12's, outranks only IFD0's DateTime:
    /// exiftool would also put it before EXIF's CreateDate and XMP's dates, but no camera that
    /// wrote CIFF wrote those, and one order for every vendor block keeps the rule simple. Called
    /// after `merge(xmp:)`; `merge(pictureInfo:)` and this one never meet (one camera writes one).
    public mutating func merge(canonCIFF ciff: CanonCIFF?) {
        guard let ciff else { return }
        if make == nil { make = ciff.make }
        if model == nil { model = ciff.model }
        if takenLocal == nil || takenTag == Self.modifyDateTag, let local = ciff.takenLocal {
            takenLocal = local
            takenOffset = nil
            takenSource = .exif
            takenTag = Self.canonCIFFTag
        }
        if focalLength == nil { focalLength = ciff.focalLength }
    }
}
