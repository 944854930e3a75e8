import ImgrepoCore

/// libexif is the core's EXIF decoder.
extension LibexifDecoder: ExifDecoding {}
