// libFuzzer entry point for the libexif bridge (ImgrepoExif): every byte string is handed to
// libexif as a TIFF-structured EXIF block, and the summary rules run over what it yields, as an
// upload does. Built and run by scripts/fuzz.sh (`make fuzz`).
import ImgrepoExif

@_cdecl("LLVMFuzzerTestOneInput")
public func exifFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = LibexifDecoder().decode(tiff: Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
