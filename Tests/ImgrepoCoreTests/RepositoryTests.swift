import Foundation
import ImgrepoCatalogues
import ImgrepoCore
import ImgrepoExif
import ImgrepoFixtures
import ImgrepoSHA512
import ImgrepoSQLite
import Testing

/// The repository's use cases against real parts: a SQLite file, libcrypto, libexif.
@Suite struct RepositoryTests {
    static let services = RepositoryServices(
        makeHasher: { SHA512Hasher() },
        exifDecoder: LibexifDecoder(),
        openCatalogue: { url, root, create in
            try CatalogueRegistry.open(url, repositoryRoot: root, options: .init(create: create)) { nil }
        }
    )

    final class Folder: Sendable {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("imgrepo-core-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let p = path + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            return p
        }
    }

    func open(_ folder: Folder) throws -> Repository {
        try Repository.open(at: folder.path + "/repo", create: true, services: Self.services)
    }

    @Test func hasherMatchesKnownVector() {
        let h = SHA512Hasher()
        Array("abc".utf8).withUnsafeBytes { h.update($0) }
        #expect(h.finalize() == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }

    @Test func uploadStoresBlobReadOnlyUnderItsHash() throws {
        let folder = try Folder()
        let repository = try open(folder)
        let path = try folder.write("a.jpg", Fixtures.jpeg(width: 64, height: 32, seed: 3, exif: .sample))
        let result = try repository.upload(path: path, options: UploadOptions(owner: "ann"))
        #expect(result.outcome == .stored(id: 1))
        let blob = repository.objects.path(for: result.sha512)
        #expect(blob.hasSuffix("/objects/\(result.sha512.prefix(2))/\(result.sha512.dropFirst(2))"))
        let attributes = try FileManager.default.attributesOfItem(atPath: blob)
        #expect((attributes[.posixPermissions] as? Int) == 0o444)
        #expect(try Data(contentsOf: URL(fileURLWithPath: blob)) == Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/repo/tmp").isEmpty)
        let record = try #require(try repository.store.image(id: 1))
        #expect(record.owner == "ann")
        #expect(record.exif.make == "Canon")
        #expect(record.width == 64 && record.height == 32)
    }

    @Test func crashAfterLinkBeforeRowIsRepairedByRerunning() throws {
        // Simulate a crash between linking the blob and committing its row: the blob is there,
        // the catalogue does not know it. Rerunning the upload must catalogue it.
        let folder = try Folder()
        let repository = try open(folder)
        let bytes = Fixtures.png(width: 8, height: 8, seed: 5)
        let path = try folder.write("p.png", bytes)
        let first = try repository.upload(path: path, options: UploadOptions(owner: "o"))
        _ = try repository.store.delete(id: first.outcome.id) // row gone, blob stays: the crash state
        #expect(repository.objects.contains(first.sha512))
        let again = try repository.upload(path: path, options: UploadOptions(owner: "o"))
        #expect(again.outcome == .stored(id: 2))
        #expect(try repository.store.count() == 1)
    }

    @Test func leftoverTempFilesAreIgnored() throws {
        let folder = try Folder()
        let repository = try open(folder)
        _ = try folder.write("repo/tmp/upload-999-deadbeef", Array(repeating: 7, count: 100))
        let path = try folder.write("g.gif", Fixtures.gif(width: 4, height: 4, seed: 1))
        #expect(try repository.upload(path: path, options: UploadOptions(owner: "o")).outcome == .stored(id: 1))
        #expect(try repository.store.count() == 1)
    }

    @Test func failedUploadsLeaveNoTrace() throws {
        let folder = try Folder()
        let repository = try open(folder)
        let cases: [([UInt8], String)] = [
            ([], "empty"), (Array("hello".utf8), "text"), (Fixtures.truncatedJPEG(), "truncated"),
        ]
        for (bytes, label) in cases {
            let path = try folder.write(label, bytes)
            #expect(throws: ImgrepoError.self, "\(label)") { try repository.upload(path: path, options: UploadOptions(owner: "o")) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/repo/tmp").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/repo/objects").isEmpty)
        #expect(try repository.store.count() == 0)
    }

    @Test func resolveByIdAndPrefix() throws {
        let folder = try Folder()
        let repository = try open(folder)
        let path = try folder.write("a.jpg", Fixtures.jpeg(width: 8, height: 8, seed: 9))
        let r = try repository.upload(path: path, options: UploadOptions(owner: "o"))
        #expect(try repository.resolve("1").sha512 == r.sha512)
        #expect(try repository.resolve(String(r.sha512.prefix(8))).id == 1)
        #expect(try repository.resolve(String(r.sha512.prefix(20)).uppercased()).id == 1)
        #expect(throws: ImgrepoError.imageNotFound(reference: "2")) { try repository.resolve("2") }
        #expect(throws: ImgrepoError.self) { try repository.resolve("abc") }
        // Two images sharing a 10-digit prefix (the second row crafted; finding a real pair takes ~2^20 files).
        let twin = String(r.sha512.prefix(10)) + String(repeating: "f", count: 118)
        _ = try repository.store.insert(NewImage(sha512: twin, originalName: "t", originalPath: nil, owner: "o", uploadedAt: .now(),
                                                  byteSize: 1, format: .png, width: nil, height: nil, exif: .absent))
        do {
            _ = try repository.resolve(String(r.sha512.prefix(9)))
            Issue.record("an ambiguous prefix resolved")
        } catch let ImgrepoError.ambiguousReference(_, candidates) {
            #expect(candidates.count == 2)
        }
    }

    @Test func deleteRemovesRowThenBlob() throws {
        let folder = try Folder()
        let repository = try open(folder)
        let path = try folder.write("a.webp", Fixtures.webp(width: 8, height: 8, seed: 2))
        let r = try repository.upload(path: path, options: UploadOptions(owner: "o"))
        #expect(try repository.delete(id: 1)?.sha512 == r.sha512)
        #expect(!repository.objects.contains(r.sha512))
        #expect(try repository.delete(id: 1) == nil)
    }

    @Test func concurrentFirstUploadsCreateOneRepository() throws {
        // Two cron jobs starting on an empty folder at once: both succeed, on one repository.
        let folder = try Folder()
        let root = folder.path + "/repo"
        let ids = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            let repository = try! Repository.open(at: root, create: true, services: Self.services)
            ids.withLock { $0.append(repository.configuration.id) }
        }
        let seen = ids.withLock { $0 }
        #expect(seen.count == 6)
        #expect(Set(seen).count == 1, "every process uses the config that won: \(Set(seen))")
        #expect(try Repository.open(at: root, services: Self.services).configuration.id == seen.first)
    }

    @Test func concurrentUploadsOfTheSameBytesStoreOneImage() throws {
        let folder = try Folder()
        _ = try open(folder)
        let path = try folder.write("same.jpg", Fixtures.jpeg(width: 120, height: 80, seed: 4))
        let root = folder.path + "/repo"
        let outcomes = Mutex<[InsertOutcome]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            // Separate repositories: what separate processes would have.
            let repository = try! Repository.open(at: root, services: Self.services)
            let r = try! repository.upload(path: path, options: UploadOptions(owner: "o"))
            outcomes.withLock { $0.append(r.outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.filter { if case .stored = $0 { true } else { false } }.count == 1)
        #expect(Set(all.map(\.id)).count == 1)
    }
}

import Synchronization
