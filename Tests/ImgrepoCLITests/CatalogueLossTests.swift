import Foundation
import ImgrepoFixtures
@testable import ImgrepoMySQL
import Testing

/// Issue 23, items 1 and 4: a lost, emptied or mistyped catalogue, or a lost config, used to be
/// replaced silently by an empty one, after which `verify --repair` deleted every blob. Now every
/// command refuses (69) and creates nothing, `verify --repair` never empties `objects/`, and
/// `rebuild-catalog` brings the images back.
@Suite struct CatalogueLossCLITests {
    let verify = VerifyTests()

    func blobCount(_ box: Sandbox) -> Int {
        (FileManager.default.enumerator(atPath: box.repo + "/objects")?.allObjects as? [String] ?? [])
            .filter { $0.utf8.count == 129 }.count
    }

    func removeCatalogue(_ box: Sandbox) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: box.repo + "/catalog.sqlite" + suffix) }
    }

    @Test func aDeletedCatalogueIsRefusedVerifyRepairKeepsEveryBlobAndRebuildBringsThemBack() throws {
        let (box, shas) = try verify.seeded(4)
        removeCatalogue(box)

        for command in [["list"], ["verify", "--repair"], ["verify", "--repair", "--force"], ["upload", try box.file("new.jpg", Fixtures.jpeg(width: 9, height: 9, seed: 9))]] {
            let r = try box.run(command)
            #expect(r.status == 69, "\(command): \(r.stderr)")
            #expect(r.errLines.count == 1 && r.stderr.contains("catalog.sqlite") && r.stderr.contains("rebuild-catalog"), "\(r.stderr)")
            #expect(r.out.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: box.repo + "/catalog.sqlite"))
        #expect(blobCount(box) == 4)

        let rebuilt = try box.run(["rebuild-catalog"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.lines.count == 4 && rebuilt.lines.allSatisfy { $0.hasPrefix("catalogued ") })
        #expect(rebuilt.stderr.contains("4 blobs: 4 catalogued"))
        let listed = try box.run(["list", "--format", "ndjson", "--fields", "sha512"])
        #expect(Set(listed.lines) == Set(shas.map { "{\"sha512\":\"\($0)\"}" }))
        #expect(try box.run(["verify"]).status == 0)
        // A second run finds nothing to do.
        let again = try box.run(["rebuild-catalog", "--json"])
        #expect(again.status == 0 && again.out.isEmpty && again.stderr.contains("0 catalogued"))
    }

    @Test func anEmptiedCatalogueStaysAsItIs() throws {
        let (box, _) = try verify.seeded(2)
        removeCatalogue(box)
        FileManager.default.createFile(atPath: box.repo + "/catalog.sqlite", contents: Data())
        #expect(try box.run(["list"]).status == 69)
        #expect(try box.run(["verify", "--repair"]).status == 69)
        #expect(try FileManager.default.attributesOfItem(atPath: box.repo + "/catalog.sqlite")[.size] as? Int == 0)
        #expect(!FileManager.default.fileExists(atPath: box.repo + "/catalog.sqlite-wal"))
        #expect(blobCount(box) == 2)
    }

    @Test func aMistypedDatabaseIsNotCreated() throws {
        let (box, _) = try verify.seeded(2)
        let r = try box.run(["verify", "--repair", "--database", "sqlite:catalgo.sqlite"])
        #expect(r.status == 69 && r.stderr.contains("catalgo.sqlite"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.repo + "/catalgo.sqlite"))
        #expect(blobCount(box) == 2)
    }

    @Test func anEmptyMySQLDatabaseGetsNoTablesBesideStoredImages() throws {
        guard let server = MySQLTestServer.shared else { return }
        let (box, _) = try verify.seeded(2)
        let name = try server.createDatabase()
        defer { server.dropDatabase(name) }
        let r = try box.run(["verify", "--repair"], environment: ["IMGREPO_DATABASE": server.url(database: name),
                                                                 "IMGREPO_DB_PASSWORD": server.password ?? ""])
        #expect(r.status == 69 && r.stderr.contains(name) && r.stderr.contains("rebuild-catalog"), "\(r.stderr)")
        let connection = try MySQLConnection(location: server.base, password: server.password, selectDatabase: false)
        let tables = try connection.prepare("SELECT count(*) FROM information_schema.tables WHERE table_schema = ?")
            .firstRow([.text(name)])?.first?.integerValue
        #expect(tables == 0)
        #expect(blobCount(box) == 2)
    }

    @Test func aConfigLostAfterAMigrationIsRefusedAndRestoredByRebuild() throws {
        let (box, _) = try verify.seeded(3)
        let migrated = try box.run(["migrate-catalog", "--to", "sqlite:catalog-2.sqlite"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        try FileManager.default.removeItem(atPath: box.repo + "/config")
        let before = try FileManager.default.contentsOfDirectory(atPath: box.repo).sorted()

        // Before, upload wrote a new config naming the stale catalog.sqlite and went on there.
        let upload = try box.run(["upload", try box.file("new.jpg", Fixtures.jpeg(width: 9, height: 9, seed: 9))])
        #expect(upload.status == 69 && upload.stderr.contains("config was lost"), "\(upload.stderr)")
        #expect(try box.run(["init"]).status == 69)
        #expect(try box.run(["list"]).status == 69)
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.repo).sorted() == before)

        let rebuilt = try box.run(["rebuild-catalog", "--database", "sqlite:catalog-2.sqlite"])
        #expect(rebuilt.status == 0 && rebuilt.stderr.contains("wrote a new config"), "\(rebuilt.stderr)")
        let names = try box.run(["list", "--format", "ndjson", "--fields", "name"]).lines
        #expect(names == ["{\"name\":\"in0.jpg\"}", "{\"name\":\"in1.jpg\"}", "{\"name\":\"in2.jpg\"}"])
        #expect(try String(contentsOfFile: box.repo + "/config", encoding: .utf8).contains("sqlite:catalog-2.sqlite"))
    }
}
