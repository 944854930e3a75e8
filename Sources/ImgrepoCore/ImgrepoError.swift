/// Everything that can go wrong, as values whose messages name the culprit.
///
/// Messages are lower case, one line, and start with the file, id or value at fault. The
/// command-line layer maps each case to an exit code in exactly one place (`ExitStatus`).
public enum ImgrepoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A path given as input does not exist.
    case fileNotFound(path: String)
    /// A path given as input cannot be read (permissions, a folder, or not a regular file).
    case unreadableInput(path: String, reason: String)
    /// The input is not an image imgrepo knows, or is an empty file.
    case notAnImage(path: String, reason: String)
    /// The input looks like an image of a known format but its structure is broken.
    case damagedImage(path: String, reason: String)
    /// A stored image cannot be decoded into pixels (truncated, corrupt, a format the decoder
    /// lacks, or more pixels than the limit allows).
    case undecodable(subject: String, reason: String)
    /// No image has this id or hash prefix.
    case imageNotFound(reference: String)
    /// A hash prefix matches several images.
    case ambiguousReference(reference: String, candidates: [String])
    /// A value given on the command line or in the configuration is malformed.
    case invalidArgument(value: String, reason: String)
    /// The repository folder is missing, unreadable, or not a repository.
    case repositoryUnavailable(path: String, reason: String)
    /// The repository exists but cannot be written (read-only folder, permissions).
    case repositoryNotWritable(path: String, reason: String)
    /// The catalogue cannot be opened or used (not a database, locked past the timeout, ...).
    case databaseUnavailable(location: String, reason: String)
    /// The catalogue does not exist yet (no file, an empty one, or no imgrepo schema) and was
    /// not created, because the caller asked drivers not to.
    case catalogueMissing(location: String)
    /// An output file or folder cannot be created.
    case cannotCreateOutput(path: String, reason: String)
    /// A read or write failed after it began.
    case io(path: String, reason: String)
    /// Stored bytes no longer hash to their name.
    case integrity(subject: String, reason: String)
    /// The configuration file is malformed.
    case configuration(path: String, reason: String)
    /// Some inputs of a batch failed; each was reported as it happened.
    case partialFailure(failed: Int, total: Int)

    /// How many characters of a user's text a message quotes.
    public static let quoteLimit = 200

    /// `text` as a message quotes it: whole up to `quoteLimit` characters, else its first
    /// `quoteLimit` and `…`. A 120 KB `--where` expression is quoted by its start, so that
    /// the error stays one short line.
    public static func excerpt(_ text: String, limit: Int = quoteLimit) -> String {
        guard text.utf8.count > limit else { return text }
        guard let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex), end != text.endIndex else { return text }
        return text[..<end] + "…"
    }

    public var description: String {
        switch self {
        case .fileNotFound(let p): "\(p): no such file"
        case .unreadableInput(let p, let r): "\(p): \(r)"
        case .notAnImage(let p, let r): "\(p): not an image (\(r))"
        case .damagedImage(let p, let r): "\(p): damaged image (\(r))"
        case .undecodable(let s, let r): "\(s): cannot decode (\(r))"
        case .imageNotFound(let ref): "\(Self.excerpt(ref)): no such image"
        case .ambiguousReference(let ref, let c): "\(Self.excerpt(ref)): ambiguous, matches \(c.joined(separator: ", "))"
        case .invalidArgument(let v, let r): "\(Self.excerpt(v)): \(Self.excerpt(r))"
        case .repositoryUnavailable(let p, let r): "\(p): repository unavailable (\(r))"
        case .repositoryNotWritable(let p, let r): "\(p): repository not writable (\(r))"
        case .databaseUnavailable(let l, let r): "\(l): database unavailable (\(r))"
        case .catalogueMissing(let l): "\(l): no imgrepo catalogue there (missing, empty, or without imgrepo's tables)"
        case .cannotCreateOutput(let p, let r): "\(p): cannot create (\(r))"
        case .io(let p, let r): "\(p): \(r)"
        case .integrity(let s, let r): "\(s): integrity failure (\(r))"
        case .configuration(let p, let r): "\(p): bad configuration (\(r))"
        case .partialFailure(let f, let t): "\(f) of \(t) files failed"
        }
    }
}
