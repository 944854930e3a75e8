internal import CImaging
import ImageProbe
import ImgrepoCore

/// Thumbnails with libjpeg-turbo and libgd: JPEGs are decoded at 1/8, 1/4 or 1/2 scale when the
/// box allows it, every other format is decoded by libgd; the pixels are then shrunk with libgd's
/// area-averaging resampler, turned right side up and encoded by libgd.
///
/// Neither library is linked: both are loaded with `dlopen` the first time a thumbnail is made
/// (or `libgdVersion`/`decodableFormats` is asked), so that commands which never touch pixels
/// start without them. A missing library makes `render` throw `undecodable` with the package to
/// install; it never crashes.
public struct GDThumbnailer: ThumbnailRendering {
    /// 1: libjpeg-turbo scaled decode, `gdImageCopyResampled`, orientation applied after
    /// resampling, JPEG alpha composited on white, PNG at zlib level 4.
    public let algorithmVersion = 1

    public init() {}

    /// Follows the `ThumbnailRendering` contract, with one exception: for HEIC and HEIF
    /// `orientation` is ignored, because the container carries its own rotation and mirroring
    /// (irot, imir), which win over EXIF and which libheif applies while decoding. (libgd 2.3.3's
    /// AVIF reader ignores irot and imir, so AVIF pixels come out as stored and `orientation`
    /// applies to them as to a JPEG.)
    ///
    /// The file is read through its descriptor, never mapped (`ImageFile`). Its header size
    /// (from `ImageProbe`) is checked against the pixel limit (`maxPixels`, lowered for the
    /// formats libgd decodes whole: `PixelLimit`) before any decoding; for JPEG the decoder
    /// checks the frame header again, and for the other formats the decoded size is checked
    /// before resampling, so a header that lies is caught too. With `expecting`, the bytes are
    /// hashed as the decoder reads them and checked once it is done.
    ///
    /// - Throws: `fileNotFound` or `io` when `path` cannot be opened or read; `integrity` naming
    ///   `subject` when `expecting` is given and the file does not hash to it; `undecodable`
    ///   naming `subject` for everything else: an empty file, too many pixels, a decoder error
    ///   (the message names the decoder, "png decoder: ...", and carries libgd's or libjpeg's
    ///   own words), a library that cannot be loaded.
    public func render(path: String, subject: String, format: ImageFormat, orientation: Int,
                       spec: ThumbnailSpec, maxPixels: Int, expecting: ExpectedContent?) throws -> RenderedThumbnail {
        let limit = PixelLimit(format: format, maxPixels: maxPixels)
        let file = try ImageFile(imageAt: path, subject: subject, format: format, limit: limit, expecting: expecting)

        var result = imgrepo_thumb_result()
        var message = [CChar](repeating: 0, count: 512)
        var request = imgrepo_thumb_request(
            source: file.source, source_format: format.sourceFormat,
            orientation: Int32(clamping: orientation), box_width: Int32(spec.width),
            box_height: Int32(spec.height), output_format: spec.format.outputFormat,
            quality: Int32(clamping: spec.quality), max_pixels: Int64(limit.pixels))
        let status = imgrepo_thumbnail(&request, &result, &message, message.count)
        // NULL unless the thumbnail was made.
        defer { imgrepo_thumb_free(result.bytes) }
        try file.verify(subject: subject)
        guard status == Int32(IMGREPO_THUMB_OK.rawValue), let bytes = result.bytes else {
            throw imagingError(status: status, width: result.width, height: result.height, message: message,
                               subject: subject, limit: limit)
        }
        return RenderedThumbnail(bytes: Array(UnsafeRawBufferPointer(start: bytes, count: result.size)),
                                 width: Int(result.width), height: Int(result.height))
    }

    /// The version of the libgd that thumbnails use ("2.3.3"), or nil when it cannot be loaded.
    /// Loads libgd on first use.
    public static func libgdVersion() -> String? {
        imgrepo_gd_version().map { String(cString: $0) }
    }

    /// Why thumbnails cannot be made here ("libgd.so.3 not found: install libgd3 (...)"), or nil
    /// when libgd and libjpeg both load. Loads them on first use.
    public static func libraryProblem() -> String? {
        imgrepo_library_problem().map { String(cString: $0) }
    }

    /// The formats the loaded libgd (and libjpeg, for JPEG) can decode, in `ImageFormat` order;
    /// empty when libgd cannot be loaded. A libgd built without a codec lacks its loader
    /// function, which is what is checked: presence, not a trial decode.
    public static func decodableFormats() -> [ImageFormat] {
        ImageFormat.allCases.filter { imgrepo_can_decode($0.sourceFormat) != 0 }
    }
}

extension ThumbnailFormat {
    var outputFormat: imgrepo_output_format {
        switch self {
        case .jpeg: IMGREPO_OUTPUT_JPEG
        case .png: IMGREPO_OUTPUT_PNG
        case .webp: IMGREPO_OUTPUT_WEBP
        }
    }
}
