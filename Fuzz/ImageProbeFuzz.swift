// libFuzzer entry point for the container walkers (ImageProbe): every byte string is sniffed,
// then fed to the streaming inspector in uneven chunks, then finished with random access, as
// an upload does. Built and run by scripts/fuzz.sh (`make fuzz`); any crash, hang or
// AddressSanitizer report is a bug, and its input becomes a regression test.
import ImageProbe

@_cdecl("LLVMFuzzerTestOneInput")
public func imageProbeFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Chunk sizes vary with the input so that segment boundaries land everywhere.
    let chunk = 1 + Int(bytes.first ?? 0) * 37 % 4096
    _ = ImageInspector.inspect(bytes, chunkSize: chunk)
    // Every format's walker, also on bytes that do not start with its signature.
    for format in ImageFormat.allCases {
        let inspector = ImageInspector(format: format)
        bytes.withUnsafeBytes { inspector.consume($0) }
        _ = try? inspector.finish(file: InMemoryBytes(bytes))
    }
    // The APP12 Picture Info tokenizer on any bytes, not only inside a well-formed JPEG; at most
    // a segment's worth (64 KiB), as the JPEG walk hands it, so big inputs do not slow the run.
    _ = PictureInfo.parse(bytes.prefix(65_533))
    return 0
}
