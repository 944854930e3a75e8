import ImageProbe

/// The catalogue of images: one row per distinct SHA-512, with its known names and EXIF tags.
///
/// Every driver (SQLite now, MySQL later) passes the same conformance suite
/// (`Tests/MetadataStoreConformanceTests`). Errors are `ImgrepoError` values; a driver never
/// lets its C library's error type escape. A store is used from one thread at a time; several
/// processes may hold stores on the same catalogue at once.
public protocol MetadataStore: AnyObject {
    /// Records an image in one transaction.
    ///
    /// With `image.deduplicatePixels` and a pixel hash, an image whose bytes are new but whose
    /// pixel hash is already catalogued is recorded as another known name of that image (the
    /// lowest such id) and `.samePixels(id)` is returned: no row is created, the caller's blob
    /// is not referenced. Otherwise:
    /// when no image with `image.sha512` exists, creates its row (with a new id larger than any
    /// id ever assigned, even to deleted images), its EXIF tags, and its first known name, and
    /// returns `.stored(id)`. When one exists — including one inserted concurrently by another
    /// process — adds `image.originalName`/`originalPath` to that image's known names (once: the
    /// same name and path are not recorded twice) and returns `.duplicate(id)`; nothing else
    /// about the existing image changes. Either everything is committed or nothing is.
    func insert(_ image: NewImage) throws -> InsertOutcome

    /// Records several images in one transaction, as `insert(_:)` would one after the other
    /// (a hash met twice in `images` is stored once, then a duplicate), and returns their
    /// outcomes in order. Either all are recorded or none is: batches cost one commit.
    func insert(contentsOf images: [NewImage]) throws -> [InsertOutcome]

    /// Runs `body`, which only reads, against one snapshot of the catalogue (one read
    /// transaction): consistent reads, and one set of locks for many of them. `body` must not write.
    func withReadSnapshot<T>(_ body: () throws -> T) throws -> T

    /// The image with this id, or nil.
    func image(id: Int64) throws -> ImageRecord?

    /// Images whose SHA-512 starts with `prefix` (lower-case hex), ordered by id, at most `limit`.
    func images(sha512Prefix prefix: String, limit: Int) throws -> [ImageRecord]

    /// Images matching `query`, in its order.
    func images(matching query: ImageQuery) throws -> [ImageRecord]

    /// Calls `body` with each image matching `query`, in its order, as rows are read: memory
    /// stays constant however many rows match. An error thrown by `body` stops the walk and
    /// is rethrown. The store must not be used from inside `body`.
    func forEachImage(matching query: ImageQuery, _ body: (ImageRecord) throws -> Void) throws

    /// How many images match `predicate`.
    func count(matching predicate: QueryPredicate) throws -> Int

    /// Totals and breakdowns over the images matching `predicate`.
    func statistics(matching predicate: QueryPredicate) throws -> CatalogueStatistics

    /// Every name the image was uploaded under, oldest first; empty for an unknown id.
    func knownNames(imageID: Int64) throws -> [KnownName]

    /// The image's EXIF tags in the order they were read; empty for an unknown id.
    func exifTags(imageID: Int64) throws -> [ExifTag]

    /// Deletes the image's row, names and tags in one transaction and returns the deleted
    /// record, or nil when there was no such image. The blob is the caller's to remove.
    func delete(id: Int64) throws -> ImageRecord?

    /// Whether any image row references this SHA-512.
    func contains(sha512: String) throws -> Bool

    /// The number of catalogued images.
    func count() throws -> Int

    /// Copies images exactly as another catalogue holds them, in one transaction: each row with
    /// its own id, every known name (owner and time included) and every EXIF tag, in order.
    /// The catalogue's next new id is then larger than every id copied. `imgrepo
    /// migrate-catalog` uses it to move a catalogue between drivers.
    ///
    /// Precondition for success: no image in the catalogue has one of these ids or hashes;
    /// otherwise throws (`databaseUnavailable` with the database's constraint message, or
    /// `invalidArgument` for a hash the driver refuses) and copies nothing.
    func copyIn(_ images: [CatalogueImage]) throws

    /// The largest id this catalogue has ever given an image, deleted images included; 0 when it
    /// never held one. Every new image's id is larger.
    func highestAssignedID() throws -> Int64

    /// Counts every id up to `id` as given: a new image's id is then larger, as if images with
    /// them had been deleted. A mark already past `id` is left as it is. `imgrepo
    /// migrate-catalog` carries the source's mark over with it, so that the id of an image
    /// deleted before a migration is never given again (ids are never reused, docs/json.md).
    func reserveIDs(through id: Int64) throws

    /// Images after `id` (in id order, at most `limit`) whose fingerprints of `kinds` are
    /// missing or were computed by another algorithm version than `version`: what `imgrepo
    /// index` works through, a page at a time. A nil `version`: only those missing one (what a
    /// search fills in before it runs; a hash of an older version still serves a search).
    func fingerprintBacklog(kinds: FingerprintKinds, version: Int?, after id: Int64, limit: Int) throws -> [ImageRecord]

    /// Stores computed fingerprints, in one transaction. A nil value in an update leaves that
    /// column as it was; the version is set. Unknown ids are skipped.
    func setFingerprints(_ updates: [FingerprintUpdate]) throws

    /// True when this store was opened read-only (a repository this process cannot write):
    /// every write then fails as `repositoryNotWritable`.
    var isReadOnly: Bool { get }

    /// Images that share their pixel hash with another image, grouped by it: each group in id
    /// order, groups in pixel-hash order.
    func pixelDuplicateGroups() throws -> [[ImageRecord]]

    /// Images recorded under more than one known name (the same bytes uploaded several
    /// times), in id order.
    func imagesWithSeveralNames() throws -> [ImageRecord]

    /// The id and perceptual hash of every image that has one and matches `predicate`, in id
    /// order, as two compact arrays (8 bytes an image each): `similar` and `duplicates
    /// --by similar` scan them in memory.
    func perceptualHashes(matching predicate: QueryPredicate) throws -> (ids: [Int64], hashes: [UInt64])

    /// The database's own consistency check (SQLite: `PRAGMA integrity_check`): one line per
    /// problem found, empty when the database is sound. Throws only when it cannot run at all.
    func integrityProblems() throws -> [String]
}

extension MetadataStore {
    /// `forEachImage`'s records gathered into an array: every driver's answer.
    public func images(matching query: ImageQuery) throws -> [ImageRecord] {
        var records: [ImageRecord] = []
        try forEachImage(matching: query) { records.append($0) }
        return records
    }

    /// For wrappers and test doubles that do not copy: refuses. Every driver implements
    /// `copyIn` itself, and the conformance suite checks it.
    public func copyIn(_ images: [CatalogueImage]) throws { throw notCopyable }

    /// For wrappers and test doubles that do not copy: refuses, as `copyIn` does.
    public func reserveIDs(through id: Int64) throws { throw notCopyable }

    /// What a catalogue that cannot be copied into says when asked to take a copy.
    private var notCopyable: ImgrepoError {
        .invalidArgument(value: "\(Self.self)", reason: "this catalogue cannot be copied into")
    }
}

/// Fingerprints computed for a catalogued image (`MetadataStore.setFingerprints`).
public struct FingerprintUpdate: Hashable, Sendable {
    public var id: Int64
    public var fingerprints: ImageFingerprints
    public var version: Int

    public init(id: Int64, fingerprints: ImageFingerprints, version: Int) {
        self.id = id; self.fingerprints = fingerprints; self.version = version
    }
}

/// One image as a catalogue holds it, whole: what `MetadataStore.copyIn` copies.
public struct CatalogueImage: Hashable, Sendable {
    public var record: ImageRecord
    /// Oldest first, as `knownNames(imageID:)` gives them.
    public var names: [KnownName]
    /// In reading order, as `exifTags(imageID:)` gives them.
    public var tags: [ExifTag]

    public init(record: ImageRecord, names: [KnownName], tags: [ExifTag]) {
        self.record = record; self.names = names; self.tags = tags
    }

    /// The image as an upload would describe it (first name, record fields, tags): what a
    /// driver's insert statement takes, so that copying writes the same columns uploading does.
    public var newImage: NewImage {
        var image = NewImage(sha512: record.sha512, originalName: record.originalName, originalPath: record.originalPath,
                             owner: record.owner, uploadedAt: record.uploadedAt, byteSize: record.byteSize,
                             format: record.format, width: record.width, height: record.height,
                             exif: ExifData(status: record.exifStatus, summary: record.exif, tags: tags))
        image.fingerprints = record.fingerprints
        image.fingerprintVersion = record.fingerprintVersion
        image.warnings = record.warnings
        return image
    }
}
