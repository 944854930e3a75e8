import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A thumbnail of one stored image, from the cache or made now.
public struct Thumbnail: Sendable {
    public var imageID: Int64
    public var sha512: String
    public var spec: ThumbnailSpec
    /// True when it came from the cache: nothing was decoded.
    public var cached: Bool
    /// The cache file, when the thumbnail is in the cache (nil under `useCache: false`).
    public var cachePath: String?
    /// The encoded bytes when made in this call; nil for a cache hit (read `cachePath`).
    public var bytes: [UInt8]?
    /// The pixel size, when made in this call.
    public var width: Int?
    public var height: Int?
}

extension Repository {
    /// The repository's thumbnail cache.
    public var thumbnailCache: ThumbnailCache {
        ThumbnailCache(root: root + "/thumbnails", temporaryRoot: Self.temporaryFolder(beside: root + "/thumbnails", in: root))
    }

    /// The renderer this repository was opened with.
    /// - Throws: `invalidArgument` when the composition root gave none (a library user's choice).
    func thumbnailRenderer() throws -> any ThumbnailRendering {
        guard let renderer = services.thumbnailer else {
            throw ImgrepoError.invalidArgument(value: "thumbnail", reason: "this imgrepo was built without a thumbnail renderer")
        }
        return renderer
    }

    /// `record`'s thumbnail for `spec`: the cached file when there is one (a hit costs a stat),
    /// else rendered from the stored blob and, unless `useCache` is false or the repository
    /// cannot be written (`cachePath` is then nil), stored in the cache.
    ///
    /// The cache entry is written under the shared lock after checking the image is still
    /// catalogued, so a concurrent `delete` (exclusive lock: row, blob, then thumbnails) never
    /// leaves an entry behind.
    /// The blob is hashed in the same read that decodes it (`ExpectedContent`), so a thumbnail
    /// is made, and cached, only from bytes that hash to their name.
    /// - Throws: `integrity` when the blob is missing or does not hash to its name,
    ///   `undecodable` (naming the image id and format) when it cannot be decoded, and the
    ///   cache's write errors.
    public func thumbnail(of record: ImageRecord, spec: ThumbnailSpec, useCache: Bool = true,
                          maxPixels: Int = defaultMaxPixels) throws -> Thumbnail {
        try thumbnails(of: [record], spec: spec, useCache: useCache, maxPixels: maxPixels, workers: 1)[0].get()
    }

    /// The thumbnails of several images, made on `workers` threads at once (cache hits cost no
    /// thread time); results in the order of `records`, each a thumbnail or the error that
    /// concerns that image alone (`undecodable`, `integrity`). Errors that concern the
    /// repository (the cache cannot be written, other than for want of permission) are thrown.
    public func thumbnails(of records: [ImageRecord], spec: ThumbnailSpec, useCache: Bool = true,
                           maxPixels: Int = defaultMaxPixels, workers: Int) throws -> [Result<Thumbnail, ImgrepoError>] {
        let renderer = try thumbnailRenderer()
        let cache = thumbnailCache
        var results = [Result<Thumbnail, ImgrepoError>?](repeating: nil, count: records.count)
        var toRender: [Int] = []
        for (index, record) in records.enumerated() {
            let path = cache.path(for: ThumbnailCache.Key(sha512: record.sha512, spec: spec, algorithm: renderer.algorithmVersion))
            if useCache, POSIX.exists(path) {
                results[index] = .success(Thumbnail(imageID: record.id, sha512: record.sha512, spec: spec, cached: true, cachePath: path))
            } else {
                toRender.append(index)
            }
        }
        let rendered = Mutex<[Int: Result<RenderedThumbnail, ImgrepoError>]>([:])
        let next = Atomic<Int>(0)
        let pending = toRender
        let jobs = pending.map { (records[$0], self.objects.path(for: records[$0].sha512)) }
        let root = self.root
        let makeHasher = services.makeHasher
        DispatchQueueShim.concurrentPerform(iterations: max(1, min(workers, pending.count))) { _ in
            while true {
                let slot = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard slot < pending.count else { return }
                let (record, blob) = jobs[slot]
                let outcome: Result<RenderedThumbnail, ImgrepoError> = POSIX.exists(blob)
                    ? renderer.renderResult(path: blob, subject: "image \(record.id)", format: record.format,
                                            orientation: record.exif.orientation ?? 1, spec: spec, maxPixels: maxPixels,
                                            expecting: ExpectedContent(sha512: record.sha512, makeHasher: makeHasher))
                    : .failure(.integrity(subject: "image \(record.id)", reason: "its blob \(String(blob.dropFirst(root.count + 1))) is missing"))
                rendered.withLock { $0[pending[slot]] = outcome }
            }
        }
        let made = rendered.withLock { $0 }
        // Cache what was made, under one shared lock, for images still catalogued. A repository
        // this process may not write (someone else's, a read-only mount) still gives its
        // thumbnails: they are made each time and not cached.
        var stored: Set<Int> = []
        if useCache, !pending.isEmpty {
            try lock.shared {
                for index in pending {
                    guard case .success(let thumbnail)? = made[index], try store.contains(sha512: records[index].sha512) else { continue }
                    do {
                        try cache.store(thumbnail.bytes, for: ThumbnailCache.Key(sha512: records[index].sha512, spec: spec,
                                                                                 algorithm: renderer.algorithmVersion))
                    } catch ImgrepoError.repositoryNotWritable { break }
                    stored.insert(index)
                }
            }
        }
        for index in pending {
            let record = records[index]
            results[index] = made[index]!.map { r in
                Thumbnail(imageID: record.id, sha512: record.sha512, spec: spec, cached: false,
                          cachePath: stored.contains(index) ? cache.path(for: ThumbnailCache.Key(sha512: record.sha512, spec: spec, algorithm: renderer.algorithmVersion)) : nil,
                          bytes: r.bytes, width: r.width, height: r.height)
            }
        }
        return results.map { $0! }
    }

    /// Empties the thumbnail cache under the exclusive lock; returns the files and bytes removed.
    public func pruneThumbnails() throws -> (files: Int, bytes: Int64) {
        try lock.exclusive { try thumbnailCache.prune() }
    }
}
