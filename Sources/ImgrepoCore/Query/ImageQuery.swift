/// Which catalogued images to list, in what order, which page.
///
/// It is data, not SQL: each driver compiles it into one parameterised statement.
public struct ImageQuery: Hashable, Sendable {
    public var predicate: QueryPredicate = .all
    /// Sort keys in priority order; ties after the last key are broken by ascending id
    /// (descending when the last key is descending), so every order is total and stable.
    public var sort: [SortOrder] = [SortOrder(.id)]
    /// At most this many rows; nil means all.
    public var limit: Int?
    /// Skip this many rows first.
    public var offset: Int = 0
    /// Keyset paging: only rows that come after the image with this id in this order. Stable
    /// under concurrent inserts, unlike `offset`. An id that does not exist yields no rows.
    public var after: Int64?

    public init(predicate: QueryPredicate = .all, sort: [SortOrder] = [SortOrder(.id)], limit: Int? = nil,
                offset: Int = 0, after: Int64? = nil) {
        self.predicate = predicate; self.sort = sort; self.limit = limit; self.offset = offset; self.after = after
    }
}

/// Totals over the images matching a predicate (`imgrepo stats`).
public struct CatalogueStatistics: Hashable, Sendable {
    public var images: Int
    /// Bytes stored: each image once.
    public var bytes: Int64
    /// Uploads beyond the first of each image (recorded as extra known names).
    public var duplicateUploads: Int
    /// Bytes those duplicate uploads would have taken without deduplication.
    public var bytesSaved: Int64
    /// Counts and bytes per format, most images first.
    public var byFormat: [Group]
    /// Per camera ("make model", or nil for images without one), most images first.
    public var byCamera: [Group]
    /// Per capture year (`"2023"`, or nil for images without a capture time), by year.
    public var byYear: [Group]

    public struct Group: Hashable, Sendable {
        public var key: String?
        public var images: Int
        public var bytes: Int64
        public init(key: String?, images: Int, bytes: Int64) { self.key = key; self.images = images; self.bytes = bytes }
    }

    public init(images: Int, bytes: Int64, duplicateUploads: Int, bytesSaved: Int64, byFormat: [Group], byCamera: [Group], byYear: [Group]) {
        self.images = images; self.bytes = bytes; self.duplicateUploads = duplicateUploads; self.bytesSaved = bytesSaved
        self.byFormat = byFormat; self.byCamera = byCamera; self.byYear = byYear
    }
}
