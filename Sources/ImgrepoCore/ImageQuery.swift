import ImageProbe

/// A description of which catalogued images to list, and in what order.
///
/// It is data, not SQL: each driver turns it into a parameterised statement, so no value given
/// on the command line is ever pasted into SQL text. Conditions of different kinds combine with
/// AND; several values for one kind (two owners, two formats) combine with OR.
public struct ImageQuery: Hashable, Sendable {
    /// Exact owner names.
    public var owners: [String] = []
    /// Shell-style globs (`*`, `?`, `[...]`) matched against the original name, case-sensitively.
    public var nameGlobs: [String] = []
    public var formats: [ImageFormat] = []
    /// Inclusive lower bound on the camera's wall-clock capture time, `YYYY-MM-DDTHH:MM:SS`.
    /// Capture times are compared as the camera's local time: a photo taken at 09:00 in Tokyo
    /// and one at 09:00 in Paris both match `--taken-after 2024-01-01T08:00`. Images with no
    /// capture time never match a capture-time bound.
    public var takenAfter: String?
    /// Exclusive upper bound on the camera's wall-clock capture time.
    public var takenBefore: String?
    /// Inclusive lower bound on the upload instant.
    public var uploadedAfter: Timestamp?
    /// Exclusive upper bound on the upload instant.
    public var uploadedBefore: Timestamp?
    /// Case-insensitive substrings, each matched against make or model.
    public var cameraTexts: [String] = []
    public var sort: SortKey = .id
    public var descending = false
    /// At most this many rows; nil means all.
    public var limit: Int?

    public init() {}

    /// Fields `list --sort` accepts.
    public enum SortKey: String, CaseIterable, Sendable {
        case id, name, owner, uploaded, taken, size, format, width, height
    }
}
