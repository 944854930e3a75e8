import ImageProbe

extension ExifSummary {
    /// `takenTag` for the capture time of a JPEG APP12 "Picture Info" segment.
    public static let pictureInfoTag = "APP12:DateTimeOriginal"

    /// Fills the gaps EXIF and XMP left from an APP12 "Picture Info" segment: its tags have
    /// priority 0 in exiftool, so they never override a value of the same name. Its capture
    /// time counts as camera metadata (`takenSource` `.exif`) and outranks only IFD0's
    /// DateTime, as a DateTimeOriginal does. Called after `merge(xmp:)`.
    public mutating func merge(pictureInfo: PictureInfo?) {
        guard let pictureInfo else { return }
        if takenLocal == nil || takenTag == Self.modifyDateTag, let local = pictureInfo.takenLocal {
            takenLocal = local
            takenOffset = nil
            takenSource = .exif
            takenTag = Self.pictureInfoTag
        }
        if exposureTime == nil { exposureTime = pictureInfo.exposureTime }
        if fNumber == nil { fNumber = pictureInfo.fNumber }
        if flash == nil { flash = pictureInfo.flash }
    }
}
