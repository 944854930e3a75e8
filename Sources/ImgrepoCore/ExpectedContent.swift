/// The SHA-512 a stored blob must hash to, for a decoder to check while it reads the blob
/// (issue 23): thumbnails and fingerprints are made only from bytes that hash to their name.
///
/// The decoder feeds a hasher from `makeHasher` every byte of the file once, in order, as it
/// reads them (what the decoder skips or never reaches is read and fed too), and compares the
/// digest with `sha512` once the file is read. A mismatch wins over any other outcome: the
/// output is dropped and `mismatch` is thrown, whether the bytes decoded or not.
public struct ExpectedContent: Sendable {
    /// The blob's name: 128 lower-case hex characters.
    public var sha512: String
    public var makeHasher: @Sendable () -> any ContentHasher

    public init(sha512: String, makeHasher: @escaping @Sendable () -> any ContentHasher) {
        self.sha512 = sha512
        self.makeHasher = makeHasher
    }

    /// The error for a file that hashed to `actual` (as `get` words it) naming `subject`.
    public func mismatch(subject: String, actual: String) -> ImgrepoError {
        .integrity(subject: subject, reason: "stored bytes hash to \(actual.prefix(16))…, not \(sha512.prefix(16))…")
    }
}
