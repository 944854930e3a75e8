internal import CImaging
import ImageProbe
import ImgrepoCore

extension ImageFormat {
    /// The decoder CImaging uses for this format.
    var sourceFormat: imgrepo_source_format {
        switch self {
        case .jpeg: IMGREPO_SOURCE_JPEG
        case .png: IMGREPO_SOURCE_PNG
        case .gif: IMGREPO_SOURCE_GIF
        case .webp: IMGREPO_SOURCE_WEBP
        case .tiff: IMGREPO_SOURCE_TIFF
        case .bmp: IMGREPO_SOURCE_BMP
        // libgd reads both through libheif.
        case .heic, .heif: IMGREPO_SOURCE_HEIF
        case .avif: IMGREPO_SOURCE_AVIF
        }
    }

    /// How the C side names this format's decoder in its messages.
    var decoderName: String {
        self == .heic ? "heif" : rawValue
    }
}

/// The error of a CImaging call (`imgrepo_thumbnail`, `imgrepo_fingerprint`) that did not
/// return `IMGREPO_THUMB_OK`: the pixel limit in `PixelLimit`'s words when the image's size
/// (reported in `width`×`height`) was over it, else the C side's own message; `undecodable`
/// naming `subject` either way.
func imagingError(status: Int32, width: Int32, height: Int32, message: [CChar], subject: String, limit: PixelLimit) -> ImgrepoError {
    let reason = status == Int32(IMGREPO_THUMB_ELIMIT.rawValue)
        ? limit.message(width: Int(width), height: Int(height))
        : message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return .undecodable(subject: subject, reason: reason)
}
