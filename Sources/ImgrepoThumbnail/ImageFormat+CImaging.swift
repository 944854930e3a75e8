internal import CImaging
import ImageProbe

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
