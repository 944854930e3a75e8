/// Turns a container's raw EXIF block into `ImageInfo.exif` form.
enum ExifPayload {
    /// `raw` without any `Exif\0\0` prefix, or nil and a warning when the rest does not start
    /// with a TIFF header (a consumer could not parse it anyway).
    static func normalize<C: RandomAccessCollection>(_ raw: C) -> (exif: [UInt8]?, warning: String?)
    where C.Element == UInt8, C.Index == Int {
        var body = raw[raw.startIndex...]
        if hasExifPrefix(body) { body = body.dropFirst(6) }
        guard body.count >= 8, isTIFFHeader(body) else {
            return (nil, "exif block does not start with a tiff header")
        }
        return (Array(body), nil)
    }

    /// Whether `bytes` starts with "Exif\0" and a pad byte. The pad should be 0, but some
    /// writers put 0xFF there; readers accept both.
    static func hasExifPrefix<C: RandomAccessCollection>(_ bytes: C) -> Bool
    where C.Element == UInt8, C.Index == Int {
        guard bytes.count >= 6 else { return false }
        let i = bytes.startIndex
        return bytes[i] == 0x45 && bytes[i + 1] == 0x78 && bytes[i + 2] == 0x69 && bytes[i + 3] == 0x66
            && bytes[i + 4] == 0
    }

    static func isTIFFHeader<C: RandomAccessCollection>(_ bytes: C) -> Bool
    where C.Element == UInt8, C.Index == Int {
        guard bytes.count >= 4 else { return false }
        let i = bytes.startIndex
        return (bytes[i] == 0x49 && bytes[i + 1] == 0x49 && bytes[i + 2] == 0x2A && bytes[i + 3] == 0)
            || (bytes[i] == 0x4D && bytes[i + 1] == 0x4D && bytes[i + 2] == 0 && bytes[i + 3] == 0x2A)
    }

    static func tooLargeWarning(size: Int) -> String {
        "exif block of \(size) bytes exceeds the \(ProbeLimits.exifBytes / (1024 * 1024)) MiB limit; ignored"
    }
}
