import Foundation
import ImgrepoFixtures
import Testing

/// Issue 23, item 10: argument edge cases an adversarial run found. `get -1` said "missing
/// expected argument"; `--rating -1` was documented but refused while `--rating 6` was accepted;
/// an empty `--owner`, `--repo` or `--database sqlite:` was taken as "not given" (an empty
/// `--repo "$UNSET"` in a script then acted on the default repository).
@Suite struct ArgumentEdgeTests {
    func seeded() throws -> Sandbox {
        let box = try Sandbox()
        #expect(try box.run(["upload", try box.file("a.jpg", Fixtures.jpeg(width: 12, height: 8, seed: 3))]).status == 0)
        return box
    }

    @Test(arguments: ["get", "details", "delete", "thumbnail", "similar"])
    func aNegativeIDIsNamedAsAWrongID(command: String) throws {
        let box = try seeded()
        let r = try box.run([command, "-1"])
        #expect(r.status == 64 && r.errLines == ["imgrepo: -1: not an image id: ids are whole numbers from 1, or SHA-512 prefixes"], "\(r.stderr)")
        #expect(try box.run(["list", "--count"]).out == "1\n")
    }

    @Test func ratingTakesMinusOneAndRefusesWhatNoRatingCanBe() throws {
        let box = try seeded()
        for spelling in [["--rating", "-1"], ["--rating=-1"], ["--rating", "-1..0"]] {
            let r = try box.run(["list", "--count"] + spelling)
            #expect(r.status == 0 && r.out == "0\n", "\(spelling): \(r.stderr)")
        }
        for (value, bad) in [("6", "6"), ("-2", "-2"), ("3..9", "9")] {
            let r = try box.run(["list", "--count", "--rating", value])
            #expect(r.status == 64 && r.stderr.contains("rating is -1 to 5, not \(bad)"), "\(value): \(r.stderr)")
        }
        let whereRating = try box.run(["list", "--count", "--where", "rating >= 6"])
        #expect(whereRating.status == 64, "\(whereRating.stderr)")
    }

    @Test func emptyValuesAreRefusedNotTakenForAbsent() throws {
        let box = try seeded()
        let file = try box.file("b.jpg", Fixtures.jpeg(width: 13, height: 8, seed: 4))
        for arguments in [["upload", "--owner", "", file], ["list", "--repo", ""], ["list", "--database", ""],
                          ["list", "--database", "sqlite:"], ["list", "--database", "sqlite://"], ["rebuild-catalog", "--owner", ""]] {
            let r = try box.run(arguments)
            #expect(r.status == 64 && r.errLines.count == 1, "\(arguments): \(r.status) \(r.stderr)")
        }
        #expect(try box.run(["list", "--count"]).out == "1\n", "nothing was uploaded")
        #expect(!FileManager.default.fileExists(atPath: box.repo + "/catalog.sqlite-journal"))
    }
}
