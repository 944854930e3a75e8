import ImgrepoCore

/// The one place that maps errors to exit codes. Every command's `--help` lists this table,
/// and README.md documents it.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case internalError = 1
    case partialFailure = 3
    case imageNotFound = 4
    case integrityFailure = 5
    case problemsFound = 6
    case usage = 64
    case badInput = 65
    case missingInput = 66
    case unavailable = 69
    case cannotCreateOutput = 73
    case ioError = 74
    case notWritable = 77
    case badConfiguration = 78
    case interrupted = 130

    var meaning: String {
        switch self {
        case .success: "success (duplicates are successes)"
        case .internalError: "internal error (a bug: please report it)"
        case .partialFailure: "some files of a batch failed; the others were stored"
        case .imageNotFound: "no image has the given id or hash prefix"
        case .integrityFailure: "stored bytes no longer match their SHA-512"
        case .problemsFound: "verify found problems (each is reported)"
        case .usage: "usage error: unknown flag, bad value, ambiguous hash prefix"
        case .badInput: "bad input data: not an image, empty, truncated or damaged"
        case .missingInput: "input file missing or unreadable"
        case .unavailable: "repository or database unavailable"
        case .cannotCreateOutput: "cannot create the output file"
        case .ioError: "I/O error while reading or writing"
        case .notWritable: "repository is not writable (read-only folder, permissions)"
        case .badConfiguration: "malformed configuration file"
        case .interrupted: "interrupted (SIGINT or SIGTERM); what was done is committed"
        }
    }

    init(for error: ImgrepoError) {
        switch error {
        case .fileNotFound, .unreadableInput: self = .missingInput
        case .notAnImage, .damagedImage, .undecodable: self = .badInput
        case .imageNotFound: self = .imageNotFound
        case .ambiguousReference, .invalidArgument: self = .usage
        case .repositoryUnavailable, .databaseUnavailable, .catalogueMissing: self = .unavailable
        case .repositoryNotWritable: self = .notWritable
        case .cannotCreateOutput: self = .cannotCreateOutput
        case .io: self = .ioError
        case .integrity: self = .integrityFailure
        case .configuration: self = .badConfiguration
        case .partialFailure: self = .partialFailure
        }
    }

    /// The table appended to each command's help.
    static func helpTable(_ codes: [ExitStatus]) -> String {
        "EXIT STATUS\n" + codes.map { "  \(String($0.rawValue).padding(3))  \($0.meaning)" }.joined(separator: "\n")
    }

    static let common: [ExitStatus] = [.success, .usage, .unavailable, .badConfiguration, .internalError]
}

extension String {
    /// Left-aligned in a field of `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// Right-aligned in a field of `width` characters.
    func leftPadding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmed: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
