// libFuzzer entry point for the container walkers (ImageProbe): every byte string is sniffed,
// then fed to the streaming inspector in uneven chunks, then finished with random access, as
// an upload does; the vendor-segment readers (APP12 Picture Info, APP0 Canon CIFF) also get the
// raw bytes. Built and run by scripts/fuzz.sh (`make fuzz`); any crash, hang or
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
    // The Canon CIFF heap reader likewise: the bytes as an APP0 payload, and (so that mutations
    // reach the nested directories without first having to find the signature) as the heap
    // behind a valid 26-byte header, in the byte order the first input byte picks.
    _ = CanonCIFF.parse(bytes.prefix(65_533))
    let order: [UInt8] = (bytes.first ?? 0) & 1 == 0 ? [0x49, 0x49, 26, 0, 0, 0] : [0x4D, 0x4D, 0, 0, 0, 26]
    _ = CanonCIFF.parse(order + Array("HEAPJPGM".utf8) + [UInt8](repeating: 0, count: 12) + bytes.prefix(65_507))
    return 0
}
