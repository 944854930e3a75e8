#if canImport(Glibc)
import Glibc
#endif

extension Repository {
    /// The image a command-line reference names: a decimal id, or a hex prefix of its SHA-512
    /// of at least `minimumPrefixLength` characters.
    ///
    /// A reference of 8+ decimal digits is both a possible id and a possible prefix; when both
    /// readings find different images it is ambiguous.
    /// - Throws: `imageNotFound`, `ambiguousReference` (listing up to 10 candidates as
    ///   `id (sha512 prefix)`), `invalidArgument` for text that is neither.
    public func resolve(_ reference: String) throws -> ImageRecord {
        let text = reference.hasPrefix("sha512:") ? String(reference.dropFirst(7)) : reference
        var candidates: [ImageRecord] = []
        let isDecimal = !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        if isDecimal, !reference.hasPrefix("sha512:"), let id = Int64(text), let record = try store.image(id: id) {
            candidates.append(record)
        }
        if text.count >= Self.minimumPrefixLength, isHex(text) {
            if text.count > 128 { throw ImgrepoError.invalidArgument(value: reference, reason: "longer than a SHA-512 (128 hex digits)") }
            for record in try store.images(sha512Prefix: text.lowercased(), limit: 11) where !candidates.contains(record) {
                candidates.append(record)
            }
        } else if !isDecimal {
            throw ImgrepoError.invalidArgument(value: reference, reason: "not an image id or a SHA-512 prefix of at least \(Self.minimumPrefixLength) hex digits")
        }
        switch candidates.count {
        case 0: throw ImgrepoError.imageNotFound(reference: reference)
        case 1: return candidates[0]
        default:
            let listed = candidates.prefix(10).map { "\($0.id) (\($0.sha512.prefix(12)))" }
            throw ImgrepoError.ambiguousReference(reference: reference, candidates: listed + (candidates.count > 10 ? ["..."] : []))
        }
    }

    /// Hash prefixes shorter than this are refused: too easy to match by accident.
    public static let minimumPrefixLength = 8

    /// Streams the image's original bytes to `output`, re-hashing them on the way.
    ///
    /// - Returns: the number of bytes written.
    /// - Throws: `integrity` when the bytes no longer hash to their name or the blob is
    ///   missing (the caller discards what it wrote: a temp file, or only the exit status on
    ///   a pipe); `io` naming `outputName` when writing fails.
    @discardableResult
    public func copyOriginal(of record: ImageRecord, to output: Int32, outputName: String) throws -> Int64 {
        let fd = try objects.open(record.sha512)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        let hasher = services.makeHasher()
        var total: Int64 = 0
        while true {
            let n = POSIX.read(fd, buffer.baseAddress!, Self.chunkSize)
            if n < 0 { throw ImgrepoError.io(path: objects.path(for: record.sha512), reason: POSIX.errorText()) }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hasher.update(chunk)
            if let e = POSIX.writeAll(output, chunk) {
                throw ImgrepoError.io(path: outputName, reason: "cannot write: \(POSIX.errorText(e))")
            }
            total += Int64(n)
        }
        let actual = hasher.finalize()
        guard actual == record.sha512 else {
            throw ImgrepoError.integrity(subject: "image \(record.id)", reason: "stored bytes hash to \(actual.prefix(16))…, not \(record.sha512.prefix(16))…")
        }
        return total
    }

    /// Deletes the image: its catalogue row first, then its blob, then its cached thumbnails,
    /// under the exclusive lock (docs/repository-format.md). Returns the deleted record, or nil
    /// for an unknown id. A crash after the row leaves an orphan blob or orphan thumbnails,
    /// which `verify --repair` removes.
    @discardableResult
    public func delete(id: Int64) throws -> ImageRecord? {
        try lock.exclusive {
            guard let record = try store.delete(id: id) else { return nil }
            // Rows are one per SHA-512, so no other row can reference this blob.
            try objects.remove(record.sha512)
            try thumbnailCache.removeAll(of: record.sha512)
            return record
        }
    }

    /// Everything `details` shows about an image.
    public func details(of record: ImageRecord) throws -> (names: [KnownName], tags: [ExifTag]) {
        (try store.knownNames(imageID: record.id), try store.exifTags(imageID: record.id))
    }
}
