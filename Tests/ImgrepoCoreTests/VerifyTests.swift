import Foundation
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoSQLite
import Testing

/// `Repository.verify` against repositories broken on purpose, with the real SQLite catalogue
/// and libcrypto's SHA-512 (`RepositoryTests.services`).
@Suite struct VerifyTests {
    typealias Folder = RepositoryTests.Folder

    /// Folders live as long as the test (a folder removes itself when released).
    final class Kept: @unchecked Sendable { var folders: [Folder] = [] }
    let kept = Kept()

    /// A repository holding `count` distinct images (JPEG and PNG alternately).
    func seeded(_ count: Int = 3, services: RepositoryServices = RepositoryTests.services) throws -> (Folder, Repository, [UploadResult]) {
        let folder = try Folder()
        kept.folders.append(folder)
        let repository = try Repository.open(at: folder.path + "/repo", create: true, services: services)
        var results: [UploadResult] = []
        for i in 0..<count {
            let bytes = i.isMultiple(of: 2) ? Fixtures.jpeg(width: 40 + i, height: 30, seed: UInt32(100 + i))
                                            : Fixtures.png(width: 20, height: 10 + i, seed: UInt32(200 + i))
            let path = try folder.write("in-\(i)", bytes)
            results.append(try repository.upload(path: path, options: UploadOptions(owner: "o")))
        }
        return (folder, repository, results)
    }

    func run(_ repository: Repository, _ options: VerifyOptions = VerifyOptions()) -> ([VerifyFinding], VerifySummary) {
        var findings: [VerifyFinding] = []
        let summary = repository.verify(options) { findings.append($0) }
        return (findings, summary)
    }

    /// Blobs are 0444; tests run as root, but make them writable anyway so the intent is plain.
    func writable(_ path: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }

    func flipByte(_ path: String, at offset: UInt64) throws {
        try writable(path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: [byte ^ 0xFF])
    }

    func truncate(_ path: String, by count: UInt64) throws {
        try writable(path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: try handle.seekToEnd() - count)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func age(_ path: String, seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -seconds)], ofItemAtPath: path)
    }

    // MARK: Clean

    @Test func cleanRepositoryHasNoFindingsAndHashesEveryBlob() throws {
        let (_, repository, results) = try seeded(3)
        let (findings, summary) = run(repository)
        #expect(findings.isEmpty)
        #expect(summary.isClean && summary.problems == 0)
        #expect(summary.images == 3)
        #expect(summary.blobsHashed == 3)
        #expect(summary.bytesHashed == results.reduce(0) { $0 + $1.byteSize })
        #expect(summary.objectFiles == 3)
        #expect(summary.temporaryFiles == 0)
    }

    @Test func emptyRepositoryIsClean() throws {
        let (_, repository, _) = try seeded(0)
        let (findings, summary) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(findings.isEmpty)
        #expect(summary == VerifySummary())
    }

    @Test func progressCountsEveryRow() throws {
        let (_, repository, _) = try seeded(3)
        var calls: [[Int]] = []
        _ = repository.verify(VerifyOptions(quick: true), progress: { calls.append([$0, $1]) }, report: { _ in })
        #expect(calls == [[1, 3], [2, 3], [3, 3]])
    }

    // MARK: Missing blobs

    @Test func deletedBlobIsMissingAndOnlyDropMissingRemovesTheRow() throws {
        let (_, repository, results) = try seeded(2)
        let gone = results[0]
        try FileManager.default.removeItem(atPath: repository.objects.path(for: gone.sha512))

        let (findings, summary) = run(repository, VerifyOptions(quick: true))
        #expect(findings.map(\.kind) == [.missingBlob])
        #expect(findings.first?.subject == gone.sha512)
        #expect(findings.first?.detail.contains("image \(gone.outcome.id) (in-0)") == true)
        #expect(!summary.isClean)

        // --repair alone reports it and leaves the row: only the user may give up on an image.
        let (repairing, afterRepair) = run(repository, VerifyOptions(repair: true, force: true))
        #expect(repairing.map(\.kind) == [.missingBlob])
        #expect(repairing.first?.repaired == false)
        #expect(!afterRepair.isClean)
        #expect(try repository.store.image(id: gone.outcome.id) != nil)

        let (dropping, afterDrop) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(dropping.map(\.kind) == [.missingBlob])
        #expect(dropping.first?.repaired == true)
        #expect(afterDrop.isClean)
        #expect(try repository.store.image(id: gone.outcome.id) == nil)
        #expect(try repository.store.image(id: results[1].outcome.id) != nil)
        #expect(run(repository).0.isEmpty)
    }

    // MARK: Corrupt blobs

    @Test func flippedByteIsFoundByHashingNotBySizes() throws {
        let (_, repository, results) = try seeded(3)
        let bad = results[1]
        try flipByte(repository.objects.path(for: bad.sha512), at: UInt64(bad.byteSize / 2))

        let full = run(repository).0
        #expect(full.map(\.kind) == [.corruptBlob])
        #expect(full.first?.subject == bad.sha512)
        #expect(full.first?.detail.contains("image \(bad.outcome.id)") == true)

        let sampled = run(repository, VerifyOptions(samplePercent: 100))
        #expect(sampled.0.map(\.kind) == [.corruptBlob])
        #expect(sampled.1.blobsHashed == 3)

        // Same size, so a size check cannot see it; a 0% sample hashes nothing.
        #expect(run(repository, VerifyOptions(quick: true)).0.isEmpty)
        let none = run(repository, VerifyOptions(samplePercent: 0))
        #expect(none.0.isEmpty && none.1.blobsHashed == 0 && none.1.bytesHashed == 0)
    }

    @Test func corruptBlobIsKeptByRepairAndDroppedWithItsRowByDropMissing() throws {
        let (_, repository, results) = try seeded(2)
        let bad = results[0]
        let blob = repository.objects.path(for: bad.sha512)
        try flipByte(blob, at: 10)

        let (kept, _) = run(repository, VerifyOptions(repair: true, force: true))
        #expect(kept.map(\.kind) == [.corruptBlob])
        #expect(kept.first?.repaired == false)
        #expect(exists(blob))

        let (dropped, summary) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(dropped.map(\.kind) == [.corruptBlob])
        #expect(dropped.first?.repaired == true)
        #expect(summary.isClean)
        #expect(!exists(blob))
        #expect(try repository.store.image(id: bad.outcome.id) == nil)
        #expect(run(repository).0.isEmpty)
    }

    @Test func truncatedBlobIsASizeMismatchReportedOnce() throws {
        let (_, repository, results) = try seeded(2)
        let bad = results[1]
        try truncate(repository.objects.path(for: bad.sha512), by: 7)
        for options in [VerifyOptions(quick: true), VerifyOptions(), VerifyOptions(samplePercent: 50)] {
            let findings = run(repository, options).0
            #expect(findings.map(\.kind) == [.sizeMismatch], "\(options)")
            #expect(findings.first?.detail.contains("blob is \(bad.byteSize - 7) bytes, the catalogue says \(bad.byteSize)") == true)
        }
    }

    // MARK: Orphans

    @Test func orphanBlobIsFoundAndRemovedByRepair() throws {
        let (_, repository, results) = try seeded(2)
        // The crash state "blob linked, row never committed".
        let orphan = results[0]
        _ = try repository.store.delete(id: orphan.outcome.id)
        let blob = repository.objects.path(for: orphan.sha512)

        let (findings, _) = run(repository)
        #expect(findings == [VerifyFinding(kind: .orphanBlob, subject: orphan.sha512, detail: "no catalogue row references it")])
        #expect(exists(blob))

        let (repaired, summary) = run(repository, VerifyOptions(repair: true, force: true))
        #expect(repaired.map(\.repaired) == [true])
        #expect(summary.isClean && summary.repaired == 1)
        #expect(!exists(blob))
        #expect(exists(repository.objects.path(for: results[1].sha512)))
        #expect(run(repository).0.isEmpty)
    }

    @Test func malformedNamesUnderObjectsAreOrphans() throws {
        let (folder, repository, _) = try seeded(1)
        _ = try folder.write("repo/objects/README", Array("notes".utf8))
        try FileManager.default.createDirectory(atPath: folder.path + "/repo/objects/zz", withIntermediateDirectories: true)
        _ = try folder.write("repo/objects/zz/short", [1, 2, 3])
        try FileManager.default.createDirectory(atPath: folder.path + "/repo/objects/ab", withIntermediateDirectories: true)
        _ = try folder.write("repo/objects/ab/" + String(repeating: "C", count: 126), [4]) // upper case: never a blob name

        let findings = run(repository).0
        #expect(findings.map(\.kind) == [.orphanBlob, .orphanBlob, .orphanBlob])
        #expect(findings.map(\.subject) == ["objects/README", "objects/ab/" + String(repeating: "C", count: 126), "objects/zz"])

        let (repaired, summary) = run(repository, VerifyOptions(repair: true, force: true))
        // A folder is reported, never removed wholesale: it may hold something the user wants.
        #expect(repaired.map(\.repaired) == [true, true, false])
        #expect(!summary.isClean)
        #expect(!exists(folder.path + "/repo/objects/README"))
        #expect(exists(folder.path + "/repo/objects/zz/short"))
    }

    // MARK: Temp files

    @Test func oldTempFileIsStaleAndRemoved() throws {
        let (folder, repository, _) = try seeded(1)
        // pid 1 is alive, so only the file's age makes it stale.
        let old = try folder.write("repo/tmp/upload-1-0123456789abcdef", Array(repeating: 7, count: 100))
        try age(old, seconds: 3600)
        let other = try folder.write("repo/tmp/leftover", [1])
        try age(other, seconds: 11 * 60)

        let findings = run(repository).0
        #expect(findings.map(\.kind) == [.staleTemp, .staleTemp])
        #expect(findings.map(\.subject) == ["tmp/leftover", "tmp/upload-1-0123456789abcdef"])
        #expect(findings.last?.detail == "untouched for 60 min")

        let (repaired, summary) = run(repository, VerifyOptions(repair: true, force: true))
        #expect(repaired.map(\.repaired) == [true, true])
        #expect(summary.isClean)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/repo/tmp").isEmpty)
    }

    @Test func freshTempFileOfARunningWriterIsNotReported() throws {
        let (folder, repository, _) = try seeded(1)
        let live = try folder.write("repo/tmp/upload-1-feedfacefeedface", [1, 2, 3])
        let unnamed = try folder.write("repo/tmp/something", [1])
        let (findings, summary) = run(repository, VerifyOptions(repair: true, force: true))
        #expect(findings.isEmpty)
        #expect(summary.temporaryFiles == 2)
        #expect(exists(live) && exists(unnamed))
    }

    @Test func freshTempFileOfADeadWriterIsStale() throws {
        let (folder, repository, _) = try seeded(1)
        let pid = try deadPID()
        _ = try folder.write("repo/tmp/write-\(pid)-00", [1])
        let findings = run(repository).0
        #expect(findings == [VerifyFinding(kind: .staleTemp, subject: "tmp/write-\(pid)-00",
                                           detail: "left by process \(pid), which is no longer running")])
    }

    /// Overwrites the start of the b-tree page in the middle of a SQLite file.
    func damageMiddlePage(_ path: String, pageSize: Int = 4096) throws {
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(size / pageSize / 2 * pageSize))
        try handle.write(contentsOf: [UInt8](repeating: 0xFF, count: 512))
    }

    /// The pid of a process that has exited and been reaped.
    func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    // MARK: Catalogue

    @Test func corruptedCatalogueIsADatabaseFindingAndNothingIsRemoved() throws {
        let folder: Folder
        let shas: [String]
        do {
            let (f, repository, results) = try seeded(40)
            folder = f
            shas = results.map(\.sha512)
            // One orphan, so that a repair would have something to remove, wrongly.
            _ = try repository.store.delete(id: results[0].outcome.id)
            // Leaving this scope closes the last connection, which checkpoints the WAL into
            // catalog.sqlite: the damage below then hits the real pages.
        }
        let catalogue = folder.path + "/repo/catalog.sqlite"
        #expect(!exists(catalogue + "-wal"))
        try damageMiddlePage(catalogue)

        // What SQLite does: the file header, the schema and the schema-version table (pages 1
        // and 2) are intact, so the catalogue opens, but `PRAGMA integrity_check` stops with
        // SQLITE_CORRUPT ("database disk image is malformed") on the damaged b-tree page
        // instead of listing problems. (Damage to page 1 or 2 fails the open instead: exit 69.)
        // verify reports one `database` finding and, the catalogue being unreadable, cannot
        // tell orphans from referenced blobs: it removes none.
        let repository = try Repository.open(at: folder.path + "/repo", services: RepositoryTests.services)
        let (findings, summary) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(findings.map(\.kind) == [.database])
        #expect(findings.first?.detail.contains("malformed") == true)
        #expect(findings.first?.repaired == false)
        #expect(!summary.isClean)
        #expect(summary.objectFiles == 40)
        for sha in shas { #expect(exists(repository.objects.path(for: sha))) }
    }

    @Test func catalogueFailingItsCheckBlocksRepairsThatTrustIt() throws {
        let box = LateUploads()
        var services = RepositoryTests.services
        services.openCatalogue = { url, root, create in
            let store = LateRowStore(try RepositoryTests.services.openCatalogue(url, root, create))
            box.store = store
            return store
        }
        let (folder, repository, results) = try seeded(3, services: services)
        box.store?.integrityLines = ["row 2 missing from index images_owner", "wrong # of entries in index images_owner"]
        _ = try repository.store.delete(id: results[0].outcome.id)
        try FileManager.default.removeItem(atPath: repository.objects.path(for: results[1].sha512))
        _ = try folder.write("repo/objects/stray", [1])

        let (findings, summary) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(findings.map(\.kind) == [.database, .database, .missingBlob, .orphanBlob, .orphanBlob])
        #expect(findings[0].detail == "integrity check: row 2 missing from index images_owner")
        // A damaged index could hide the row that references a blob: no orphan with a blob
        // name is removed, no row dropped. A malformed name needs no catalogue to judge.
        #expect(findings.map(\.repaired) == [false, false, false, false, true])
        #expect(findings[2].detail.hasSuffix("; not repaired: the catalogue is damaged"))
        #expect(findings[3].detail.hasSuffix("; not repaired: the catalogue is damaged"))
        #expect(summary.problems == 5 && summary.repaired == 1)
        #expect(exists(repository.objects.path(for: results[0].sha512)))
        #expect(try repository.store.image(id: results[1].outcome.id) != nil)
    }

    // MARK: Everything at once

    @Test func severalProblemsAreEachReportedOnce() throws {
        let (folder, repository, results) = try seeded(5)
        try FileManager.default.removeItem(atPath: repository.objects.path(for: results[0].sha512))
        try flipByte(repository.objects.path(for: results[1].sha512), at: 3)
        try truncate(repository.objects.path(for: results[2].sha512), by: 1)
        _ = try repository.store.delete(id: results[3].outcome.id)
        let temp = try folder.write("repo/tmp/upload-\(try deadPID())-ab", [0])
        try age(temp, seconds: 7200)

        let (findings, summary) = run(repository)
        #expect(findings.map(\.kind) == [.missingBlob, .corruptBlob, .sizeMismatch, .orphanBlob, .staleTemp])
        #expect(Array(findings.map(\.subject).dropLast()) == results[0...3].map(\.sha512))
        #expect(summary.problems == 5 && summary.repaired == 0)
        #expect(summary.images == 4)

        // --repair fixes the garbage; the broken images stay, reported, for the user to decide.
        let (repairing, partial) = run(repository, VerifyOptions(repair: true, force: true))
        #expect(repairing.map(\.repaired) == [false, false, false, true, true])
        #expect(partial.problems == 5 && partial.repaired == 2 && !partial.isClean)
        #expect(exists(repository.objects.path(for: results[4].sha512)))

        let (dropping, dropped) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(dropping.map(\.kind) == [.missingBlob, .corruptBlob, .sizeMismatch])
        #expect(dropped.isClean && dropped.repaired == 3)
        #expect(try repository.store.count() == 1)
        #expect(run(repository).0.isEmpty)
    }

    // MARK: Never removing a referenced blob

    @Test func repairNeverRemovesAReferencedBlob() throws {
        let (folder, repository, results) = try seeded(4)
        _ = try folder.write("repo/objects/stray", [1])
        _ = try repository.store.delete(id: results[0].outcome.id)
        let (_, summary) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(summary.problems == 2 && summary.isClean)
        for result in results.dropFirst() {
            let blob = repository.objects.path(for: result.sha512)
            #expect(try Data(contentsOf: URL(fileURLWithPath: blob)).count == Int(result.byteSize))
        }
        #expect(run(repository).0.isEmpty)
    }

    @Test func orphanCataloguedByAConcurrentUploadIsNeitherReportedNorRemoved() throws {
        // An upload links its blob and then inserts its row under the shared lock. The store
        // below commits that row just after verify first asked about the blob, as an upload
        // would between the scan and the exclusive lock.
        let box = LateUploads()
        var services = RepositoryTests.services
        services.openCatalogue = { url, root, create in
            let store = LateRowStore(try RepositoryTests.services.openCatalogue(url, root, create))
            box.store = store
            return store
        }
        let (_, repository, results) = try seeded(2, services: services)
        let late = results[1]
        let record = try #require(try repository.store.image(id: late.outcome.id))
        _ = try repository.store.delete(id: late.outcome.id)
        box.store?.pending[late.sha512] = NewImage(sha512: late.sha512, originalName: record.originalName, originalPath: nil,
                                                   owner: "o", uploadedAt: .now(), byteSize: late.byteSize, format: record.format,
                                                   width: record.width, height: record.height, exif: .absent)

        let (findings, _) = run(repository, VerifyOptions(repair: true, force: true))
        #expect(findings.isEmpty)
        #expect(exists(repository.objects.path(for: late.sha512)))
        #expect(try repository.store.contains(sha512: late.sha512))
    }

    @Test func missingBlobOfARowDeletedMeanwhileIsNotReported() throws {
        // A delete removes the row, then the blob: verify may read the row, then find the blob
        // gone. Under the exclusive lock the row is gone too, and there is nothing to report.
        let box = LateUploads()
        var services = RepositoryTests.services
        services.openCatalogue = { url, root, create in
            let store = LateRowStore(try RepositoryTests.services.openCatalogue(url, root, create))
            box.store = store
            return store
        }
        let (_, repository, results) = try seeded(2, services: services)
        let deleted = results[0]
        try FileManager.default.removeItem(atPath: repository.objects.path(for: deleted.sha512))
        box.store?.deleteBeforeLookup.insert(deleted.outcome.id)

        let (findings, summary) = run(repository, VerifyOptions(repair: true, dropMissing: true, force: true))
        #expect(findings.isEmpty)
        #expect(summary.images == 2)
        #expect(try repository.store.count() == 1)
    }
}

/// Holds the wrapped store the services closure made.
final class LateUploads: @unchecked Sendable {
    var store: LateRowStore?
}

/// The SQLite catalogue, with another process's writes landing at the worst moment: a row in
/// `pending` is inserted when its blob is first asked about (and reported absent, as the
/// asker saw it a moment before); an id in `deleteBeforeLookup` is deleted when first looked up.
final class LateRowStore: MetadataStore {
    let inner: any MetadataStore
    var pending: [String: NewImage] = [:]
    var deleteBeforeLookup: Set<Int64> = []
    /// What the integrity check reports instead of the real one's answer.
    var integrityLines: [String]?

    init(_ inner: any MetadataStore) { self.inner = inner }

    func contains(sha512: String) throws -> Bool {
        if let image = pending.removeValue(forKey: sha512) {
            let before = try inner.contains(sha512: sha512)
            _ = try inner.insert(image)
            return before
        }
        return try inner.contains(sha512: sha512)
    }

    func image(id: Int64) throws -> ImageRecord? {
        if deleteBeforeLookup.remove(id) != nil { _ = try inner.delete(id: id) }
        return try inner.image(id: id)
    }

    func insert(_ image: NewImage) throws -> InsertOutcome { try inner.insert(image) }
    func insert(contentsOf images: [NewImage]) throws -> [InsertOutcome] { try inner.insert(contentsOf: images) }
    func withReadSnapshot<T>(_ body: () throws -> T) throws -> T { try inner.withReadSnapshot(body) }
    func images(sha512Prefix prefix: String, limit: Int) throws -> [ImageRecord] { try inner.images(sha512Prefix: prefix, limit: limit) }
    func images(matching query: ImageQuery) throws -> [ImageRecord] { try inner.images(matching: query) }
    func forEachImage(matching query: ImageQuery, _ body: (ImageRecord) throws -> Void) throws { try inner.forEachImage(matching: query, body) }
    func count(matching predicate: QueryPredicate) throws -> Int { try inner.count(matching: predicate) }
    func statistics(matching predicate: QueryPredicate) throws -> CatalogueStatistics { try inner.statistics(matching: predicate) }
    func knownNames(imageID: Int64) throws -> [KnownName] { try inner.knownNames(imageID: imageID) }
    func exifTags(imageID: Int64) throws -> [ExifTag] { try inner.exifTags(imageID: imageID) }
    func delete(id: Int64) throws -> ImageRecord? { try inner.delete(id: id) }
    func count() throws -> Int { try inner.count() }
    func highestAssignedID() throws -> Int64 { try inner.highestAssignedID() }
    func integrityProblems() throws -> [String] { try integrityLines ?? inner.integrityProblems() }
    var isReadOnly: Bool { inner.isReadOnly }
    func fingerprintBacklog(kinds: FingerprintKinds, version: Int?, after id: Int64, limit: Int) throws -> [ImageRecord] {
        try inner.fingerprintBacklog(kinds: kinds, version: version, after: id, limit: limit)
    }
    func setFingerprints(_ updates: [FingerprintUpdate]) throws { try inner.setFingerprints(updates) }
    func pixelDuplicateGroups() throws -> [[ImageRecord]] { try inner.pixelDuplicateGroups() }
    func imagesWithSeveralNames() throws -> [ImageRecord] { try inner.imagesWithSeveralNames() }
    func perceptualHashes(matching predicate: QueryPredicate) throws -> (ids: [Int64], hashes: [UInt64]) {
        try inner.perceptualHashes(matching: predicate)
    }
}
