/// One format's share of `ImageInspector`: it sees the streamed chunks, then the whole file.
protocol ContainerParser: AnyObject {
    /// The next bytes of the file, in order. Parsers that work from random access ignore them.
    func consume(_ chunk: UnsafeRawBufferPointer)
    /// What the parser learned; structural problems go into `damage`, only read errors throw.
    func finish(file: RandomAccessBytes) throws -> ImageInfo
    /// True once every byte where the parser looks for metadata has gone past, so a caller that
    /// wants only metadata (not damage checks) may stop feeding. False unless known.
    var metadataComplete: Bool { get }
}

extension ContainerParser {
    func consume(_ chunk: UnsafeRawBufferPointer) {}
    var metadataComplete: Bool { false }
}
