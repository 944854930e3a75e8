import ImageProbe
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One file of a batch upload: a path, or a stream already open (standard input).
public struct BatchFile: Sendable {
    /// The file; for a stream, how messages name it (`-`).
    public var path: String
    /// The name to record instead of the file's own.
    public var name: String?
    /// An open descriptor read to its end instead of opening `path`: it takes the same path
    /// as a file (the same checks, thumbnails and fingerprints), records no original path,
    /// is not asked of the ingest cache, and is left open for its owner.
    public var stream: Int32?

    public init(path: String, name: String? = nil) {
        self.path = path
        self.name = name
    }

    /// A stream named `displayName` in messages, recorded as `name`.
    public init(stream: Int32, displayName: String, name: String) {
        self.path = displayName
        self.name = name
        self.stream = stream
    }
}

extension Repository {
    /// Uploads several files as one unit of work: each is read, hashed, inspected and copied
    /// into tmp/ on `workers` threads at once; then, in order and under the shared lock, the
    /// blobs are linked into place and all rows are catalogued in one transaction (one commit
    /// for the batch instead of one per file).
    ///
    /// Results come back in the order of `files`: an `UploadResult`, or the error that concerns
    /// that file alone (missing, not an image, damaged). Errors that concern the repository
    /// (not writable, disk full, catalogue unavailable) are thrown, after the blobs this batch
    /// created without a row are removed again. With a `cache`, files known from an earlier
    /// run are recorded as duplicates without being read, as `upload(path:)` does.
    /// `shouldStop` is asked before each file is opened: files opened are finished, the others
    /// left out of the results (their slots hold nil).
    public func upload(batch files: [BatchFile], options: UploadOptions, cache: (any IngestCache)?, consultCache: Bool,
                       workers: Int, shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> [Result<UploadResult, ImgrepoError>?] {
        var results = [Result<UploadResult, ImgrepoError>?](repeating: nil, count: files.count)

        // 1. On this thread: answer what the cache knows, under one shared lock for the window
        //    (a file it answers for is never opened), then open the others.
        struct Job: Sendable {
            var index: Int; var fd: Int32; var path: String; var name: String; var identity: FileIdentity?
            var isStream = false
        }
        var jobs: [Job] = []
        defer { for job in jobs where !job.isStream { close(job.fd) } }
        var identities = [FileIdentity?](repeating: nil, count: files.count)
        if let cache {
            for (index, file) in files.enumerated() where file.stream == nil { identities[index] = FileIdentity.of(path: file.path) }
            let known = consultCache ? cache.sha512s(for: identities) : []
            let hits = known.enumerated().compactMap { index, sha512 in sha512.map { (index: index, sha512: $0) } }
            if !hits.isEmpty {
                try lock.shared {
                    // Reads in one snapshot; names not yet recorded are written after it, together.
                    var newNames: [(index: Int, image: NewImage)] = []
                    try store.withReadSnapshot {
                        for hit in hits {
                            let file = files[hit.index]
                            let name = file.name ?? POSIX.basename(of: file.path)
                            guard let known = try knownImage(sha512: hit.sha512, name: name, originalPath: POSIX.absolute(file.path),
                                                             options: options) else { continue }
                            results[hit.index] = .success(known.result)
                            if let image = known.newName { newNames.append((hit.index, image)) }
                        }
                    }
                    if !newNames.isEmpty {
                        _ = try store.insert(contentsOf: newNames.map(\.image))
                    }
                }
            }
        }
        for (index, file) in files.enumerated() where results[index] == nil {
            if shouldStop() { break }
            if let stream = file.stream {
                jobs.append(Job(index: index, fd: stream, path: file.path, name: file.name ?? "stdin", identity: nil, isStream: true))
                continue
            }
            do {
                let fd = try Self.openInput(file.path)
                // The identity read from the open file is the one recorded after hashing.
                let identity = cache == nil ? nil : FileIdentity.of(fd: fd, path: file.path)
                jobs.append(Job(index: index, fd: fd, path: file.path, name: file.name ?? POSIX.basename(of: file.path),
                                identity: identity))
            } catch let error as ImgrepoError where error.concerns(input: file.path) {
                results[index] = .failure(error)
            }
        }

        // 2. On `workers` threads: read, hash, inspect and copy each file into tmp/.
        //    With `options.thumbnails`, the same thread then renders them from the temp file.
        struct Copied: Sendable {
            var temporaryPath: String; var analysis: Analysis; var unchanged: Bool
            var thumbnails: [PendingThumbnail] = []
            var fingerprints: FingerprintResult = .none
        }
        let copies = Mutex<[Int: Result<Copied, ImgrepoError>]>([:])
        let next = Atomic<Int>(0)
        let services = self.services
        let temporaryRoot = objects.temporaryRoot
        let root = self.root
        let pending = jobs
        let thumbnailCache = self.thumbnailCache
        let threadCount = max(1, min(workers, pending.count))
        DispatchQueueShim.concurrentPerform(iterations: threadCount) { _ in
            while true {
                let slot = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard slot < pending.count else { return }
                let job = pending[slot]
                let outcome = Self.copyIntoTemporary(job.fd, path: job.path, identity: job.identity, options: options,
                                                     services: services, temporaryRoot: temporaryRoot, root: root)
                    .map { copy in
                        let made = Self.uploadThumbnailsAndFingerprints(from: copy.0, analysis: copy.1, subject: job.path,
                                                                        options: options, services: services,
                                                                        cache: thumbnailCache)
                        return Copied(temporaryPath: copy.0, analysis: copy.1, unchanged: copy.2,
                                      thumbnails: made.thumbnails, fingerprints: made.fingerprints)
                    }
                copies.withLock { $0[job.index] = outcome }
            }
        }
        let done = copies.withLock { $0 }
        // Temp files not handed to `catalogue` below are removed whatever happens.
        var handedOver = false
        defer { if !handedOver { for case .success(let copy) in done.values { unlink(copy.temporaryPath) } } }

        // 3. Here again, in order, under the shared lock: link the blobs, then one transaction.
        var order: [(index: Int, copy: Copied, image: NewImage)] = []
        for job in jobs {
            switch done[job.index] {
            case .failure(let error)?:
                if !error.concerns(input: job.path) { throw error }
                results[job.index] = .failure(error)
            case .success(let copy)?:
                let a = copy.analysis
                var image = NewImage(sha512: a.sha512, originalName: job.name, originalPath: job.isStream ? nil : POSIX.absolute(job.path),
                                     owner: options.owner, uploadedAt: .now(), byteSize: a.byteSize,
                                     format: a.format, width: a.info.width, height: a.info.height, exif: a.exif)
                image.warnings = a.warnings
                copy.fingerprints.apply(to: &image, deduplicatePixels: options.deduplicatePixels)
                order.append((job.index, copy, image))
            case nil:
                break // not started: asked to stop
            }
        }
        // Copies of files that failed were never made; every other temp file goes to `catalogue`.
        handedOver = true
        let outcomes = try catalogue(order.map { ($0.copy.temporaryPath, $0.image) })
        let thumbnailReports = try storeUploadThumbnails(order.map(\.copy.thumbnails))
        for ((entry, outcome), thumbnails) in zip(zip(order, outcomes), thumbnailReports) {
            let a = entry.copy.analysis
            results[entry.index] = .success(UploadResult(outcome: outcome, sha512: a.sha512, name: entry.image.originalName,
                                                         byteSize: a.byteSize, format: a.format, width: a.info.width,
                                                         height: a.info.height, exifStatus: a.exif.status,
                                                         warnings: a.warnings + entry.copy.fingerprints.warnings + thumbnails.warnings,
                                                         thumbnailsMade: thumbnails.made))
            if entry.copy.unchanged, let cache, let identity = jobs.first(where: { $0.index == entry.index })?.identity {
                cache.record(identity, sha512: a.sha512)
            }
        }
        // Bytes already catalogued (answered by the ingest cache, or found a duplicate): the
        // image they belong to gets the fingerprints asked for that it lacks.
        if !options.fingerprints.isEmpty {
            var candidates: [(index: Int, id: Int64, computed: FingerprintResult)] = []
            for (entry, outcome) in zip(order, outcomes) {
                if case .duplicate(let id) = outcome { candidates.append((entry.index, id, entry.copy.fingerprints)) }
                if case .samePixels(let id) = outcome { candidates.append((entry.index, id, .none)) }
            }
            for index in results.indices where !jobs.contains(where: { $0.index == index }) {
                if case .success(let result)? = results[index], case .duplicate(let id) = result.outcome {
                    candidates.append((index, id, .none))
                }
            }
            for (index, warnings) in completeFingerprints(candidates, options: options) {
                guard case .success(var result)? = results[index] else { continue }
                result.warnings += warnings
                results[index] = .success(result)
            }
        }
        // Files the ingest cache answered for were never opened: their missing thumbnails are
        // made from the stored blobs.
        if !options.thumbnails.isEmpty {
            for index in results.indices where !jobs.contains(where: { $0.index == index }) {
                guard case .success(var result)? = results[index] else { continue }
                let report = makeMissingThumbnails(sha512: result.sha512, options: options)
                result.thumbnailsMade = report.made
                result.warnings += report.warnings
                results[index] = .success(result)
            }
        }
        return results
    }

    /// Links each temp file to its blob's name and catalogues all the rows in one transaction,
    /// under the shared lock (docs/repository-format.md). Every temp file is consumed: linked,
    /// or removed on failure; when the transaction fails, the blobs it would have catalogued
    /// and that this call created are removed again.
    func catalogue(_ entries: [(temporaryPath: String, image: NewImage)]) throws -> [InsertOutcome] {
        guard !entries.isEmpty else { return [] }
        var linked = 0
        defer { for entry in entries[linked...] { unlink(entry.temporaryPath) } }
        return try lock.shared {
            var created: [String] = []
            do {
                for entry in entries {
                    // adopt unlinks the temp file itself, whatever happens.
                    if try objects.adopt(temporaryPath: entry.temporaryPath, as: entry.image.sha512) {
                        created.append(entry.image.sha512)
                    }
                    linked += 1
                }
                let outcomes = try store.insert(contentsOf: entries.map(\.image))
                // A file whose pixels were already catalogued became a name of that image: the
                // blob this call made for its bytes is referenced by no row.
                for (entry, outcome) in zip(entries, outcomes) {
                    if case .samePixels = outcome, created.contains(entry.image.sha512) {
                        removeUnreferencedBlob(entry.image.sha512)
                    }
                }
                return outcomes
            } catch {
                for sha512 in created { removeUnreferencedBlob(sha512) }
                throw error
            }
        }
    }

    /// Reads `fd` into a new temp file, fsync'd and read-only: the part of an upload that
    /// needs no lock and no catalogue, and so runs on any thread.
    static func copyIntoTemporary(_ fd: Int32, path: String, identity: FileIdentity?, options: UploadOptions,
                                  services: RepositoryServices, temporaryRoot: String,
                                  root: String) -> Result<(String, Analysis, Bool), ImgrepoError> {
        var temporaryPath: String?
        var temporaryFD: Int32 = -1
        do {
            let analysis = try analyze(descriptor: fd, displayName: path, options: options, services: services) {
                let candidate = "\(temporaryRoot)/upload-\(getpid())-\(POSIX.randomHex())"
                var created = POSIX.open(candidate, O_RDWR | O_CREAT | O_EXCL, 0o600)
                if created < 0, errno == ENOENT, temporaryRoot.hasSuffix("/" + Repository.areaTemporaryName),
                   POSIX.makeDirectories(temporaryRoot) == nil {
                    // `objects/.tmp`, used when objects/ is a file system of its own, is made on first use.
                    created = POSIX.open(candidate, O_RDWR | O_CREAT | O_EXCL, 0o600)
                }
                guard created >= 0 else {
                    if !POSIX.isDirectory(temporaryRoot) {
                        throw ImgrepoError.repositoryUnavailable(path: root, reason: "tmp folder is missing")
                    }
                    throw Repository.creationError(candidate, errno)
                }
                temporaryPath = candidate
                temporaryFD = created
                return (created, candidate)
            }
            guard let temporaryPath else { preconditionFailure("analyze copies into the sink it was given") }
            guard fsync(temporaryFD) == 0 else {
                throw ImgrepoError.io(path: temporaryPath, reason: "cannot sync: \(POSIX.errorText())")
            }
            fchmod(temporaryFD, 0o444)
            close(temporaryFD)
            let unchanged = identity != nil && FileIdentity.of(fd: fd, path: path) == identity
            return .success((temporaryPath, analysis, unchanged))
        } catch {
            if temporaryFD >= 0 { close(temporaryFD) }
            if let temporaryPath { unlink(temporaryPath) }
            return .failure(error as? ImgrepoError ?? .io(path: path, reason: "\(error)"))
        }
    }
}

/// The fingerprints computed for one uploaded file, or why there are none.
enum FingerprintResult: Sendable {
    /// None were asked for.
    case none
    case computed(ImageFingerprints, version: Int)
    /// The file could not be fingerprinted (it is stored all the same).
    case failed(String)

    var warnings: [String] {
        if case .failed(let reason) = self { [reason] } else { [] }
    }

    /// Puts the fingerprints on the row to insert; pixel deduplication needs a pixel hash.
    func apply(to image: inout NewImage, deduplicatePixels: Bool) {
        guard case .computed(let fingerprints, let version) = self else { return }
        image.fingerprints = fingerprints
        image.fingerprintVersion = version
        image.deduplicatePixels = deduplicatePixels && fingerprints.pixelSHA512 != nil
    }
}

extension Repository {
    /// Computes `options.fingerprints` from a freshly copied temp file, on a worker thread.
    static func uploadFingerprints(from path: String, analysis: Analysis, subject: String, options: UploadOptions,
                                   services: RepositoryServices) -> FingerprintResult {
        guard !options.fingerprints.isEmpty else { return .none }
        guard let fingerprinter = services.fingerprinter else {
            return .failed("fingerprints: this imgrepo was built without a fingerprinter")
        }
        do {
            let fingerprints = try fingerprinter.fingerprints(path: path, subject: subject, format: analysis.format,
                                                              orientation: analysis.exif.summary.orientation ?? 1,
                                                              kinds: options.fingerprints, maxPixels: options.maxPixels)
            return .computed(fingerprints, version: fingerprinter.algorithmVersion)
        } catch {
            return .failed("fingerprints: \(error)")
        }
    }
}

extension Repository {
    /// `options.thumbnails` (those not yet cached) and `options.fingerprints` of a freshly copied
    /// temp file, on a worker thread: in one call, sharing the decode, when both are asked and
    /// the services can; else one after the other. Failures are warnings either way.
    static func uploadThumbnailsAndFingerprints(from path: String, analysis: Analysis, subject: String,
                                                options: UploadOptions, services: RepositoryServices,
                                                cache: ThumbnailCache) -> (thumbnails: [PendingThumbnail], fingerprints: FingerprintResult) {
        let orientation = analysis.exif.summary.orientation ?? 1
        guard !options.thumbnails.isEmpty, !options.fingerprints.isEmpty, let combined = services.thumbnailsAndFingerprints else {
            return (renderUploadThumbnails(from: path, sha512: analysis.sha512, format: analysis.format, orientation: orientation,
                                           subject: subject, options: options, services: services, cache: cache),
                    uploadFingerprints(from: path, analysis: analysis, subject: subject, options: options, services: services))
        }
        let missing = options.thumbnails
            .map { (spec: $0, key: ThumbnailCache.Key(sha512: analysis.sha512, spec: $0, algorithm: combined.thumbnailAlgorithmVersion)) }
            .filter { !POSIX.exists(cache.path(for: $0.key)) }
        let made = combined.thumbnailsAndFingerprints(path: path, subject: subject, format: analysis.format,
                                                      orientation: orientation, specs: missing.map(\.spec),
                                                      kinds: options.fingerprints, maxPixels: options.maxPixels)
        let fingerprints: FingerprintResult = switch made.fingerprints {
        case .success(let values): .computed(values, version: combined.fingerprintAlgorithmVersion)
        case .failure(let error): .failed("fingerprints: \(error)")
        }
        return (zip(missing, made.thumbnails).map { PendingThumbnail(key: $0.key, rendered: $1) }, fingerprints)
    }
}

/// A thumbnail rendered during an upload, waiting for its image's row before it is cached.
struct PendingThumbnail: Sendable {
    var key: ThumbnailCache.Key
    var rendered: Result<RenderedThumbnail, ImgrepoError>
}

extension Repository {
    /// Renders `options.thumbnails` from a freshly copied temp file, skipping those already
    /// cached (a duplicate's). Runs on a worker thread; touches nothing in the repository.
    static func renderUploadThumbnails(from path: String, sha512: String, format: ImageFormat, orientation: Int,
                                       subject: String, options: UploadOptions, services: RepositoryServices,
                                       cache: ThumbnailCache) -> [PendingThumbnail] {
        guard !options.thumbnails.isEmpty else { return [] }
        guard let renderer = services.thumbnailer else {
            let error = ImgrepoError.invalidArgument(value: "--thumbnails", reason: "this imgrepo was built without a thumbnail renderer")
            return options.thumbnails.map { PendingThumbnail(key: ThumbnailCache.Key(sha512: sha512, spec: $0, algorithm: 0), rendered: .failure(error)) }
        }
        return options.thumbnails.compactMap { spec in
            let key = ThumbnailCache.Key(sha512: sha512, spec: spec, algorithm: renderer.algorithmVersion)
            if POSIX.exists(cache.path(for: key)) { return nil }
            return PendingThumbnail(key: key, rendered: renderer.renderResult(path: path, subject: subject, format: format,
                                                                             orientation: orientation, spec: spec,
                                                                             maxPixels: options.maxPixels))
        }
    }

    /// Caches the thumbnails rendered for a batch, under one shared lock, for images that are
    /// (still) catalogued. Returns, per image, how many were stored and a warning per failure:
    /// a thumbnail that cannot be made or cached never fails the upload of its image. Throws
    /// only for the catalogue look-up.
    func storeUploadThumbnails(_ perImage: [[PendingThumbnail]]) throws -> [(made: Int, warnings: [String])] {
        guard perImage.contains(where: { !$0.isEmpty }) else { return perImage.map { _ in (0, []) } }
        let cache = thumbnailCache
        return try lock.shared {
            try perImage.map { thumbnails in
                var made = 0
                var warnings: [String] = []
                // All of one image's thumbnails share its hash: one look-up says whether it is catalogued.
                let catalogued = try thumbnails.first.map { try store.contains(sha512: $0.key.sha512) } ?? false
                for thumbnail in thumbnails {
                    switch thumbnail.rendered {
                    case .success(let rendered):
                        guard catalogued else { continue }
                        // The image is committed already: a cache write that fails (a full disk)
                        // is that thumbnail's problem, a warning, never the upload's.
                        do {
                            try cache.store(rendered.bytes, for: thumbnail.key)
                            made += 1
                        } catch {
                            warnings.append("thumbnail \(thumbnail.key.width)x\(thumbnail.key.height) \(thumbnail.key.format.rawValue) not cached: \(error)")
                        }
                    case .failure(let error):
                        warnings.append("thumbnail \(thumbnail.key.width)x\(thumbnail.key.height) \(thumbnail.key.format.rawValue): \(error)")
                    }
                }
                return (made, warnings)
            }
        }
    }

    /// Gives each catalogued image of `candidates` the fingerprints of `options.fingerprints`
    /// it lacks, or all of them when an older algorithm made its own, so that importing files
    /// again with fingerprints asked for fills them in as `imgrepo index` would. `computed` is
    /// what the upload made from these same bytes (a byte duplicate), used when it has every
    /// kind needed; otherwise the stored blob is decoded. Each image is done once, its problems
    /// returned as warnings under the first candidate's index; nothing here fails the upload.
    func completeFingerprints(_ candidates: [(index: Int, id: Int64, computed: FingerprintResult)],
                              options: UploadOptions) -> [Int: [String]] {
        guard !options.fingerprints.isEmpty, let fingerprinter = services.fingerprinter else { return [:] }
        var warnings: [Int: [String]] = [:]
        var updates: [FingerprintUpdate] = []
        var seen = Set<Int64>()
        for candidate in candidates where seen.insert(candidate.id).inserted {
            do {
                guard let record = try store.image(id: candidate.id) else { continue }
                let current = record.fingerprintVersion == fingerprinter.algorithmVersion
                var present: FingerprintKinds = []
                if record.fingerprints.pixelSHA512 != nil { present.insert(.pixelHash) }
                if record.fingerprints.perceptualHash != nil { present.insert(.perceptualHash) }
                if current && present.isSuperset(of: options.fingerprints) { continue }
                // A stale version is replaced whole: every kind the image has, and those asked.
                let kinds = current ? options.fingerprints.subtracting(present) : options.fingerprints.union(present)
                var fingerprints: ImageFingerprints
                if case .computed(let made, let version) = candidate.computed, version == fingerprinter.algorithmVersion,
                   kinds.isSubset(of: options.fingerprints) {
                    fingerprints = made
                } else {
                    fingerprints = try fingerprinter.fingerprints(of: record, in: objects, kinds: kinds, maxPixels: options.maxPixels,
                                                                  makeHasher: services.makeHasher)
                }
                if !kinds.contains(.pixelHash) { fingerprints.pixelSHA512 = nil }
                if !kinds.contains(.perceptualHash) { fingerprints.perceptualHash = nil }
                updates.append(FingerprintUpdate(id: record.id, fingerprints: fingerprints, version: fingerprinter.algorithmVersion))
            } catch {
                warnings[candidate.index, default: []].append("fingerprints of image \(candidate.id): \(error)")
            }
        }
        if !updates.isEmpty {
            do {
                try lock.shared { try store.setFingerprints(updates) }
            } catch {
                for candidate in candidates where updates.contains(where: { $0.id == candidate.id }) {
                    warnings[candidate.index, default: []].append("fingerprints of image \(candidate.id) not stored: \(error)")
                }
            }
        }
        return warnings
    }

    /// Makes the missing `options.thumbnails` of a catalogued image from its blob.
    func makeMissingThumbnails(sha512: String, options: UploadOptions) -> (made: Int, warnings: [String]) {
        var made = 0
        var warnings: [String] = []
        do {
            guard let record = try store.images(sha512Prefix: sha512, limit: 1).first, record.sha512 == sha512 else { return (0, []) }
            for spec in options.thumbnails {
                do {
                    if try !thumbnail(of: record, spec: spec, maxPixels: options.maxPixels).cached { made += 1 }
                } catch {
                    warnings.append("thumbnail \(spec.width)x\(spec.height) \(spec.format.rawValue): \(error)")
                }
            }
        } catch {
            warnings.append("thumbnails: \(error)")
        }
        return (made, warnings)
    }
}

extension ImgrepoError {
    /// Whether the error concerns the input `path` alone (missing, unreadable, not an image,
    /// damaged, a read error), so a batch goes on with the next file; any other error concerns
    /// the repository (not writable, disk full, catalogue unavailable) and stops the batch.
    public func concerns(input path: String) -> Bool {
        switch self {
        case .fileNotFound, .unreadableInput, .notAnImage, .damagedImage: true
        case .io(let culprit, _): culprit == path
        default: false
        }
    }
}

/// Runs `body` on `iterations` threads and waits for all (Dispatch's concurrentPerform,
/// without importing Foundation into the core).
enum DispatchQueueShim {
    static func concurrentPerform(iterations: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard iterations > 1 else { body(0); return }
        var threads: [pthread_t] = []
        final class Box: @unchecked Sendable { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
        for i in 1..<iterations {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(Box { body(i) }).toOpaque()
            let rc = pthread_create(&thread, nil, { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, box)
            if rc == 0 { threads.append(thread) } else { Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body() }
        }
        body(0)
        for thread in threads { pthread_join(thread, nil) }
    }
}
