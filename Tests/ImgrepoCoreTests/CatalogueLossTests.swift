import Foundation
import ImgrepoCore
import Testing

/// A lost, emptied or wrong catalogue (or a lost config) never costs a stored image: nothing is
/// created over stored blobs, `verify --repair` holds back when most blobs look like orphans and
/// quarantines rather than deletes, and `rebuildCatalogue` brings the images back.
@Suite struct CatalogueLossTests {
    let verify = VerifyTests()

    func blobs(_ repository: Repository) -> [String] {
        var names: [String] = []
        repository.objects.forEachBlob { sha512, _ in names.append(sha512); return true }
        return names
    }

    func reopen(_ repository: Repository, create: Bool = false) throws -> Repository {
        try Repository.open(at: repository.root, create: create, services: RepositoryTests.services)
    }

    func files(in folder: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// The message of a refused open, which must name the catalogue and the way back.
    func refusal(_ body: () throws -> Repository) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test(arguments: ["deleted", "emptied"])
    func aCatalogueLostBesideStoredImagesIsRefusedAndNothingIsCreated(how: String) throws {
        let (_, repository, results) = try verify.seeded(3)
        let catalogue = repository.root + "/catalog.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: catalogue + suffix) }
        if how == "emptied" { FileManager.default.createFile(atPath: catalogue, contents: Data()) }
        let before = files(in: repository.root)

        for create in [false, true] {
            let message = try #require(refusal { try reopen(repository, create: create) })
            #expect(message.contains("catalog.sqlite") && message.contains("rebuild-catalog"), "\(message)")
        }
        #expect(files(in: repository.root) == before)
        #expect((try? FileManager.default.attributesOfItem(atPath: catalogue)[.size] as? Int) == (how == "emptied" ? 0 : nil))
        #expect(blobs(repository).count == results.count)
    }

    @Test func aRepositoryWithoutImagesGetsANewCatalogue() throws {
        let (_, repository, _) = try verify.seeded(0)
        try FileManager.default.removeItem(atPath: repository.root + "/catalog.sqlite")
        #expect(try reopen(repository).store.count() == 0)
        #expect(FileManager.default.fileExists(atPath: repository.root + "/catalog.sqlite"))
    }

    @Test func aWrongCatalogueNameCreatesNothing() throws {
        let (_, repository, _) = try verify.seeded(2)
        #expect(throws: ImgrepoError.self) {
            try Repository.open(at: repository.root, databaseOverride: "sqlite:typo.sqlite", services: RepositoryTests.services)
        }
        #expect(!FileManager.default.fileExists(atPath: repository.root + "/typo.sqlite"))
    }

    // MARK: verify --repair

    @Test func repairHoldsBackWhenMoreThanATenthOfTheBlobsAreOrphans() throws {
        let (_, repository, results) = try verify.seeded(10)
        for result in results.prefix(2) { _ = try repository.store.delete(id: result.outcome.id) }

        let (findings, summary) = verify.run(repository, VerifyOptions(repair: true))
        #expect(findings.map(\.kind) == [.orphanBlob, .orphanBlob])
        #expect(findings.allSatisfy { !$0.repaired && $0.detail.contains("2 of 10 blobs (20%)") })
        #expect(summary.withheldOrphans && summary.orphanBlobs == 2 && summary.blobFiles == 10 && !summary.isClean)
        #expect(blobs(repository).count == 10)
        #expect(!FileManager.default.fileExists(atPath: repository.root + "/quarantine"))

        // --force acts, and even then moves the orphans aside rather than deleting them.
        let (forced, after) = verify.run(repository, VerifyOptions(repair: true, force: true))
        #expect(forced.map(\.repaired) == [true, true] && after.isClean)
        let folder = try #require(after.quarantine)
        for result in results.prefix(2) {
            let moved = repository.root + "/" + folder + "/" + result.sha512.prefix(2) + "/" + result.sha512.dropFirst(2)
            #expect(FileManager.default.fileExists(atPath: moved), "\(moved)")
            #expect(!repository.objects.contains(result.sha512))
        }
    }

    @Test func aSmallShareOfOrphansIsQuarantinedWithoutForce() throws {
        let (_, repository, results) = try verify.seeded(12)
        _ = try repository.store.delete(id: results[5].outcome.id)
        let (findings, summary) = verify.run(repository, VerifyOptions(repair: true))
        #expect(findings.map(\.repaired) == [true] && summary.isClean && !summary.withheldOrphans)
        #expect(findings.first?.detail.contains("moved to quarantine/") == true)
        #expect(blobs(repository).count == 11)
        #expect(verify.run(repository).0.isEmpty)
    }

    @Test func dropMissingHoldsBackWhenMoreThanATenthOfTheRowsLackTheirBlob() throws {
        let (_, repository, results) = try verify.seeded(5)
        for result in results.prefix(2) { try FileManager.default.removeItem(atPath: repository.objects.path(for: result.sha512)) }
        let (findings, summary) = verify.run(repository, VerifyOptions(repair: true, dropMissing: true))
        #expect(findings.map(\.kind) == [.missingBlob, .missingBlob])
        #expect(findings.allSatisfy { !$0.repaired && $0.detail.contains("2 of 5 rows (40%)") })
        #expect(summary.withheldRows)
        #expect(try repository.store.count() == 5)
    }

    // MARK: rebuild-catalog

    func rebuild(_ repository: Repository, database: String? = nil) throws -> (RebuildSummary, [RebuildEvent]) {
        var events: [RebuildEvent] = []
        let summary = try Repository.rebuildCatalogue(at: repository.root, database: database, owner: "rebuilder",
                                                      services: RepositoryTests.services) { events.append($0) }
        return (summary, events)
    }

    @Test func rebuildCataloguesEveryStoredImageAgainAndIsIdempotent() throws {
        let (_, repository, results) = try verify.seeded(4)
        let original = try results.map { try #require(try repository.store.image(id: $0.outcome.id)) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: repository.root + "/catalog.sqlite" + suffix) }

        let (summary, events) = try rebuild(repository)
        #expect(summary.blobs == 4 && summary.catalogued == 4 && summary.failed == 0 && !summary.wroteConfig)
        #expect(events.count == 4)
        let rebuilt = try reopen(repository)
        for record in original {
            let again = try #require(try rebuilt.store.images(sha512Prefix: record.sha512, limit: 1).first)
            #expect(again.format == record.format && again.width == record.width && again.height == record.height)
            #expect(again.byteSize == record.byteSize && again.owner == "rebuilder")
            #expect(again.originalName == "\(record.sha512.prefix(16)).\(record.format.rawValue)")
        }
        #expect(verify.run(rebuilt).0.isEmpty)

        let (second, secondEvents) = try rebuild(repository)
        #expect(second.catalogued == 0 && second.alreadyCatalogued == 4 && secondEvents.isEmpty)
    }

    @Test func rebuildBringsQuarantinedBlobsBack() throws {
        let (_, repository, results) = try verify.seeded(3)
        _ = try repository.store.delete(id: results[1].outcome.id)
        _ = verify.run(repository, VerifyOptions(repair: true, force: true))
        #expect(!repository.objects.contains(results[1].sha512))

        let (summary, events) = try rebuild(repository)
        #expect(summary.catalogued == 1 && summary.restored == 1)
        guard case .catalogued(_, let sha512, _, let restored)? = events.first else { Issue.record("no event"); return }
        #expect(sha512 == results[1].sha512 && restored)
        #expect(repository.objects.contains(results[1].sha512))
        #expect(!FileManager.default.fileExists(atPath: repository.root + "/quarantine"))
        #expect(verify.run(try reopen(repository)).0.isEmpty)
    }

    @Test func rebuildReportsABlobThatNoLongerHashesToItsNameAndLeavesIt() throws {
        let (_, repository, results) = try verify.seeded(2)
        let blob = repository.objects.path(for: results[0].sha512)
        try verify.flipByte(blob, at: 10)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: repository.root + "/catalog.sqlite" + suffix) }

        let (summary, events) = try rebuild(repository)
        #expect(summary.catalogued == 1 && summary.failed == 1)
        guard case .failed(_, let error)? = events.first(where: { if case .failed = $0 { true } else { false } }) else {
            Issue.record("no failure reported"); return
        }
        guard case .integrity = error else { Issue.record("\(error)"); return }
        #expect(FileManager.default.fileExists(atPath: blob))
    }

    // MARK: A lost config

    @Test func aLostConfigIsRefusedAndRebuildWritesItAgainNamingTheCatalogue() throws {
        let (_, repository, results) = try verify.seeded(3)
        // After a migration the config names another catalogue than the stale catalog.sqlite.
        _ = try repository.migrateCatalogue(to: "sqlite:catalog-2.sqlite")
        _ = try repository.store.delete(id: results[0].outcome.id)  // the stale one drifts
        try FileManager.default.removeItem(atPath: repository.root + "/config")
        let before = files(in: repository.root)

        let message = try #require(refusal { try reopen(repository, create: true) })
        #expect(message.contains("config") && message.contains("rebuild-catalog"), "\(message)")
        #expect(throws: ImgrepoError.self) { try Repository.initialize(at: repository.root, services: RepositoryTests.services) }
        #expect(files(in: repository.root) == before)

        let (summary, _) = try rebuild(repository, database: "sqlite:catalog-2.sqlite")
        #expect(summary.wroteConfig && summary.catalogued == 0 && summary.alreadyCatalogued == 3)
        let restored = try reopen(repository)
        #expect(restored.catalogueURL == "sqlite:catalog-2.sqlite")
        #expect(try restored.store.count() == 3)
    }
}
