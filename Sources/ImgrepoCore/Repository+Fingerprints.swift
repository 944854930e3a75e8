import Synchronization

/// Which sameness `imgrepo duplicates` groups by.
public enum DuplicateKind: String, CaseIterable, Sendable {
    /// The same bytes uploaded under several names: one image, its names.
    case bytes
    /// Images whose decoded pixels are identical (metadata differs).
    case pixels
    /// Images whose perceptual hashes are within a distance of each other.
    case similar
}

/// One group of `imgrepo duplicates`: images that are the same in the group's sense.
public struct DuplicateGroup: Sendable {
    /// What the members share: the SHA-512 (bytes), the pixel hash (pixels), or the first
    /// member's perceptual hash as 16 hex digits (similar).
    public var key: String
    /// The images, by id; for `bytes`, the one image.
    public var members: [ImageRecord]
    /// For `similar`, each member's Hamming distance to the first; zeros otherwise.
    public var distances: [Int]
    /// For `bytes`, the image's known names (oldest first); empty otherwise.
    public var names: [KnownName]

    /// How many uploads the group stands for: names for `bytes`, images otherwise.
    public var size: Int { names.isEmpty ? members.count : names.count }
}

/// One image of `imgrepo similar`, with its distance to the reference.
public struct SimilarImage: Sendable {
    public var record: ImageRecord
    public var distance: Int
}

/// What `Repository.fillMissingFingerprints` did before a search.
public struct FingerprintFill: Sendable {
    /// Images given their missing fingerprints now, and those that could not be (each with why:
    /// a damaged file, a blob that no longer hashes to its name); those stay out of the search.
    public var indexed = 0
    public var failures: [(id: Int64, error: ImgrepoError)] = []
    public var interrupted = false
    /// Images left without them because the catalogue is read-only (nothing was computed).
    public var lacking = 0

    public init(indexed: Int = 0, failures: [(id: Int64, error: ImgrepoError)] = [], interrupted: Bool = false, lacking: Int = 0) {
        self.indexed = indexed; self.failures = failures; self.interrupted = interrupted; self.lacking = lacking
    }
}

/// What `imgrepo index` did.
public struct IndexSummary: Sendable {
    /// Images whose fingerprints were computed and stored.
    public var indexed = 0
    /// Images that could not be fingerprinted, each with the reason.
    public var failures: [(id: Int64, error: ImgrepoError)] = []
    /// Whether it stopped early because it was asked to.
    public var interrupted = false
}

extension Repository {
    /// The fingerprinter, or an error saying this build has none.
    func requireFingerprinter() throws -> any ImageFingerprinting {
        guard let fingerprinter = services.fingerprinter else {
            throw ImgrepoError.invalidArgument(value: "fingerprints", reason: "this imgrepo was built without a fingerprinter")
        }
        return fingerprinter
    }

    /// Computes the missing (or, with `recompute`, all) fingerprints of `kinds` for the
    /// catalogued images, `workers` images at a time, and stores them a page at a time, so an
    /// interrupted run keeps what it did and the next run carries on. An image that cannot be
    /// decoded, or whose blob does not hash to its name (checked in the same read as the
    /// decode: `ExpectedContent`), is reported in the summary and left without fingerprints;
    /// one deleted meanwhile is skipped. `progress` is called after each page with the number of images done.
    /// `missingOnly` leaves hashes of an older algorithm version alone (what a search needs:
    /// they still answer it); `index` recomputes those too.
    public func indexFingerprints(kinds: FingerprintKinds, recompute: Bool = false, missingOnly: Bool = false, workers: Int,
                                  maxPixels: Int = defaultMaxPixels,
                                  shouldStop: @escaping @Sendable () -> Bool = { false },
                                  progress: (Int) -> Void = { _ in }) throws -> IndexSummary {
        let fingerprinter = try requireFingerprinter()
        var summary = IndexSummary()
        var after: Int64 = 0
        let pageSize = 256
        // No stored version is negative: asking for version -1 makes every image stale.
        let version = missingOnly ? nil : recompute ? -1 : fingerprinter.algorithmVersion
        while true {
            if shouldStop() { summary.interrupted = true; break }
            let page = try store.fingerprintBacklog(kinds: kinds, version: version, after: after, limit: pageSize)
            guard let last = page.last else { break }
            after = last.id
            let results = Mutex<[Int: Result<ImageFingerprints, ImgrepoError>]>([:])
            let next = Atomic<Int>(0)
            let objects = self.objects
            let makeHasher = services.makeHasher
            DispatchQueueShim.concurrentPerform(iterations: max(1, min(workers, page.count))) { _ in
                while true {
                    let slot = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard slot < page.count else { return }
                    let record = page[slot]
                    let outcome: Result<ImageFingerprints, ImgrepoError>
                    do {
                        outcome = .success(try fingerprinter.fingerprints(of: record, in: objects, kinds: kinds,
                                                                          maxPixels: maxPixels, makeHasher: makeHasher))
                    } catch let error as ImgrepoError {
                        outcome = .failure(error)
                    } catch {
                        outcome = .failure(.undecodable(subject: "image \(record.id)", reason: "\(error)"))
                    }
                    results.withLock { $0[slot] = outcome }
                }
            }
            let done = results.withLock { $0 }
            var updates: [FingerprintUpdate] = []
            for (slot, record) in page.enumerated() {
                switch done[slot] {
                case .success(let fingerprints)?:
                    updates.append(FingerprintUpdate(id: record.id, fingerprints: fingerprints, version: fingerprinter.algorithmVersion))
                case .failure(.fileNotFound)?:
                    // Deleted since the page was read: nothing to index. (A blob missing under a
                    // live row is `verify`'s to report.)
                    if try store.image(id: record.id) != nil {
                        summary.failures.append((record.id, .integrity(subject: "image \(record.id)", reason: "its blob is missing")))
                    }
                case .failure(let error)?:
                    summary.failures.append((record.id, error))
                case nil:
                    break
                }
            }
            try store.setFingerprints(updates)
            summary.indexed += updates.count
            progress(summary.indexed + summary.failures.count)
        }
        return summary
    }

    /// Before a search by likeness (`similar`, `duplicates --by pixels|similar`, `list
    /// --similar-to`): gives every catalogued image the fingerprints of `kinds` it lacks, as
    /// `indexFingerprints(missingOnly:)` does, so that the search answers over the whole
    /// collection instead of failing. On an indexed catalogue that is one indexed query that
    /// finds nothing. A catalogue opened read-only is not written: nothing is computed,
    /// `lacking` counts the images without them, and the search answers from the others.
    public func fillMissingFingerprints(kinds: FingerprintKinds, workers: Int, shouldStop: @escaping @Sendable () -> Bool = { false },
                                        progress: (Int) -> Void = { _ in }) throws -> FingerprintFill {
        guard store.isReadOnly else {
            let summary = try indexFingerprints(kinds: kinds, missingOnly: true, workers: workers, shouldStop: shouldStop, progress: progress)
            return FingerprintFill(indexed: summary.indexed, failures: summary.failures, interrupted: summary.interrupted)
        }
        var fill = FingerprintFill()
        var after: Int64 = 0
        while true {
            let page = try store.fingerprintBacklog(kinds: kinds, version: nil, after: after, limit: 1000)
            guard let last = page.last else { return fill }
            fill.lacking += page.count
            after = last.id
        }
    }

    /// The images whose perceptual hash is within `maxDistance` of image `id`'s, nearest first
    /// (ties by id), at most `limit`, among those matching `predicate`; the image itself is left
    /// out. The reference's hash is computed when it has none (`perceptualHash(of:)`).
    public func similarImages(to reference: ImageRecord, maxDistance: Int, limit: Int?,
                              matching predicate: QueryPredicate = .all) throws -> [SimilarImage] {
        let hash = try perceptualHash(of: reference)
        let (ids, hashes) = try store.perceptualHashes(matching: predicate.and(.similar(to: hash, maxDistance: maxDistance)))
        var nearest: [(id: Int64, distance: Int)] = []
        nearest.reserveCapacity(ids.count)
        for (id, other) in zip(ids, hashes) where id != reference.id {
            nearest.append((id, hammingDistance(hash, other)))
        }
        nearest.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
        if let limit { nearest = Array(nearest.prefix(max(0, limit))) }
        return try nearest.compactMap { entry in
            try store.image(id: entry.id).map { SimilarImage(record: $0, distance: entry.distance) }
        }
    }

    /// The image's perceptual hash: the stored one, or else computed now from its blob (and not
    /// stored: a read-only repository can still answer for it; `fillMissingFingerprints` is what
    /// stores them). Throws the decode's errors (`undecodable`, `integrity`) naming the image.
    public func perceptualHash(of record: ImageRecord) throws -> UInt64 {
        if let hash = record.fingerprints.perceptualHash { return hash }
        let computed = try requireFingerprinter().fingerprints(of: record, in: objects, kinds: .perceptualHash,
                                                               maxPixels: defaultMaxPixels, makeHasher: services.makeHasher)
        guard let hash = computed.perceptualHash else {
            throw ImgrepoError.undecodable(subject: "image \(record.id)", reason: "no perceptual hash could be computed")
        }
        return hash
    }

    /// Groups of the same images in the sense of `kind`, largest first (ties by the first
    /// member's id). `maxDistance` applies to `similar`: images are grouped when a chain of
    /// pairs each within it links them (single linkage); every pair is compared, so the cost
    /// grows with the square of the number of hashed images.
    public func duplicateGroups(by kind: DuplicateKind, maxDistance: Int) throws -> [DuplicateGroup] {
        var groups: [DuplicateGroup]
        switch kind {
        case .bytes:
            groups = try store.imagesWithSeveralNames().map { record in
                DuplicateGroup(key: record.sha512, members: [record], distances: [0],
                               names: try store.knownNames(imageID: record.id))
            }
        case .pixels:
            groups = try store.pixelDuplicateGroups().map { members in
                DuplicateGroup(key: members[0].fingerprints.pixelSHA512 ?? "", members: members,
                               distances: members.map { _ in 0 }, names: [])
            }
        case .similar:
            let (ids, hashes) = try store.perceptualHashes(matching: .all)
            groups = try Self.similarityClusters(hashes: hashes, maxDistance: maxDistance).map { cluster in
                let members = try cluster.compactMap { try store.image(id: ids[$0]) }
                let first = hashes[cluster[0]]
                return DuplicateGroup(key: Self.hex(first), members: members,
                                      distances: members.map { hammingDistance(first, $0.fingerprints.perceptualHash ?? first) },
                                      names: [])
            }.filter { $0.members.count > 1 }
        }
        groups.sort { ($1.size, $0.members[0].id) < ($0.size, $1.members[0].id) }
        return groups
    }

    /// Connected components of "within `maxDistance`" over `hashes`, as index lists (each in
    /// ascending order, components by their first index); singletons left out.
    static func similarityClusters(hashes: [UInt64], maxDistance: Int) -> [[Int]] {
        var parent = Array(hashes.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        hashes.withUnsafeBufferPointer { h in
            for i in h.indices {
                let a = h[i]
                var j = i + 1
                while j < h.count {
                    if (a ^ h[j]).nonzeroBitCount <= maxDistance {
                        let (ri, rj) = (root(i), root(j))
                        if ri != rj { parent[max(ri, rj)] = min(ri, rj) }
                    }
                    j += 1
                }
            }
        }
        var components: [Int: [Int]] = [:]
        for i in hashes.indices { components[root(i), default: []].append(i) }
        return components.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    /// A perceptual hash as 16 lower-case hex digits, as JSON and tables show it.
    public static func hex(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// The default largest Hamming distance for `similar`, `duplicates --by similar` and
/// `list --similar-to`: `ImageFingerprints.defaultMaxDistance`, measured in docs/duplicates.md.
public let defaultSimilarityDistance = ImageFingerprints.defaultMaxDistance
