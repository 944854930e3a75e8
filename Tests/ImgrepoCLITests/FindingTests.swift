import Foundation
import ImgrepoFixtures
import Testing

/// Issue 3 through the binary: every filter, every output format, paging, counting, stats,
/// literal matching of hostile values, and usage errors that name the option and value.
@Suite struct FindingTests {
    /// Six images with known EXIF; ids follow the order here.
    static func catalogue(_ driver: CatalogueDriver) throws -> Sandbox {
        let box = try Sandbox(driver: driver)
        func exif(_ make: String, _ model: String, _ date: String, iso: UInt16, f: (UInt32, UInt32), exposure: (UInt32, UInt32),
                  focal: UInt32, orientation: UInt16, gps: (Double, Double)?) -> FixtureExif {
            var e = FixtureExif(make: make, model: model, lensModel: "\(make) lens", dateTimeOriginal: date,
                                exposureTime: exposure, fNumber: f, iso: iso, focalLength: (focal, 1), orientation: orientation)
            e.gpsLatitude = gps?.0; e.gpsLongitude = gps?.1; e.gpsAltitude = gps == nil ? nil : 30
            return e
        }
        let files: [(String, [UInt8], String)] = [
            ("paris.jpg", Fixtures.jpeg(width: 60, height: 40, seed: 1, exif: exif("Canon", "Canon EOS R5", "2019:05:04 10:00:00", iso: 100, f: (28, 10), exposure: (1, 500), focal: 24, orientation: 1, gps: (48.8584, 2.2945))), "ann"),
            ("versailles.jpg", Fixtures.jpeg(width: 40, height: 60, seed: 2, exif: exif("Canon", "Canon EOS 5D", "2020:07:14 18:30:00", iso: 3200, f: (4, 1), exposure: (1, 60), focal: 70, orientation: 1, gps: (48.8049, 2.1204))), "ann"),
            ("tokyo.jpg", Fixtures.jpeg(width: 60, height: 40, seed: 3, exif: exif("NIKON CORPORATION", "NIKON Z 6", "2021:11:02 09:15:00", iso: 800, f: (18, 10), exposure: (1, 250), focal: 50, orientation: 6, gps: (35.6762, 139.6503))), "bob"),
            ("fiji.jpg", Fixtures.jpeg(width: 50, height: 50, seed: 4, exif: exif("Apple", "iPhone 15", "2023:06:30 23:59:59", iso: 50, f: (16, 10), exposure: (1, 2000), focal: 6, orientation: 1, gps: (-17.7134, 178.0650))), "bob"),
            ("samoa.jpg", Fixtures.jpeg(width: 64, height: 48, seed: 5, exif: exif("Apple", "iPhone 15", "2024:02:29 12:00:00", iso: 64, f: (16, 10), exposure: (1, 1000), focal: 6, orientation: 8, gps: (-13.7590, -172.1046))), "cy"),
            ("scan.png", Fixtures.png(width: 300, height: 200, seed: 6), "cy"),
        ]
        for (name, bytes, owner) in files {
            let r = try box.run(["upload", "--owner", owner, try box.file(name, bytes)])
            #expect(r.status == 0, "\(name): \(r.stderr)")
        }
        return box
    }

    /// One catalogue per driver, made on first use and only read afterwards.
    static let sharedSQLite: Sandbox = try! catalogue(.sqlite)
    static let sharedMySQL: Sandbox = try! catalogue(.mysql)

    static func shared(_ driver: CatalogueDriver) -> Sandbox {
        switch driver {
        case .sqlite: sharedSQLite
        case .mysql: sharedMySQL
        }
    }

    func names(_ driver: CatalogueDriver, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let r = try Self.shared(driver).run(["list", "--format", "ndjson", "--fields", "name"] + arguments)
        #expect(r.status == 0, "\(arguments): \(r.stderr)", sourceLocation: sourceLocation)
        return try r.lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["name"] as? String ?? "?"
        }
    }

    @Test(arguments: CatalogueDriver.all) func dateRanges(driver: CatalogueDriver) throws {
        #expect(try names(driver, ["--taken", "2020"]) == ["versailles.jpg"])
        #expect(try names(driver, ["--taken", "2019-05..2020-07-14"]) == ["paris.jpg", "versailles.jpg"])
        #expect(try names(driver, ["--taken", "2023.."]) == ["fiji.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--taken", "..2019-12-31"]) == ["paris.jpg"])
        #expect(try names(driver, ["--taken", "2024-02-29"]) == ["samoa.jpg"])
        #expect(try names(driver, ["--uploaded", "2000..2999"]).count == 6)
        #expect(try names(driver, ["--uploaded", "2999.."]) == [])
        // The issue-2 spellings still work.
        #expect(try names(driver, ["--taken-after", "2023", "--taken-before", "2024"]) == ["fiji.jpg"])
    }

    @Test(arguments: CatalogueDriver.all) func cameraAndExposure(driver: CatalogueDriver) throws {
        #expect(try names(driver, ["--make", "canon"]) == ["paris.jpg", "versailles.jpg"])
        #expect(try names(driver, ["--model", "*5D"]) == ["versailles.jpg"])
        #expect(try names(driver, ["--camera", "nikon*"]) == ["tokyo.jpg"])
        #expect(try names(driver, ["--make", "apple", "--make", "nikon*"]) == ["tokyo.jpg", "fiji.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--lens", "APPLE LENS"]) == ["fiji.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--iso", "100..800"]) == ["paris.jpg", "tokyo.jpg"])
        #expect(try names(driver, ["--iso", "1600.."]) == ["versailles.jpg"])
        #expect(try names(driver, ["--fnumber", "..2.8"]) == ["paris.jpg", "tokyo.jpg", "fiji.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--exposure", "..1/500"]) == ["paris.jpg", "fiji.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--focal", "24..70"]) == ["paris.jpg", "versailles.jpg", "tokyo.jpg"])
    }

    @Test(arguments: CatalogueDriver.all) func fileFilters(driver: CatalogueDriver) throws {
        #expect(try names(driver, ["--type", "png"]) == ["scan.png"])
        #expect(try names(driver, ["--type", "jpg,png", "--owner", "cy"]) == ["samoa.jpg", "scan.png"])
        #expect(try names(driver, ["--name", "*i*.jpg", "--owner", "bob"]) == ["fiji.jpg"])
        #expect(try names(driver, ["--width", "60.."]) == ["paris.jpg", "tokyo.jpg", "samoa.jpg", "scan.png"])
        #expect(try names(driver, ["--height", "..40"]) == ["paris.jpg", "tokyo.jpg"])
        #expect(try names(driver, ["--pixels", "50K.."]) == ["scan.png"])
        #expect(try names(driver, ["--size", "..1G", "--type", "png"]) == ["scan.png"])
        // Orientation as displayed: tokyo is 60×40 but EXIF orientation 6 turns it upright.
        #expect(try names(driver, ["--orientation", "portrait"]) == ["versailles.jpg", "tokyo.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--orientation", "landscape"]) == ["paris.jpg", "scan.png"])
        #expect(try names(driver, ["--orientation", "square"]) == ["fiji.jpg"])
    }

    @Test(arguments: CatalogueDriver.all) func placeFilters(driver: CatalogueDriver) throws {
        #expect(try names(driver, ["--has-gps"]).count == 5)
        #expect(try names(driver, ["--no-gps"]) == ["scan.png"])
        #expect(try names(driver, ["--near", "48.8566,2.3522,10"]) == ["paris.jpg"])
        #expect(try names(driver, ["--near", "48.8566,2.3522,25"]) == ["paris.jpg", "versailles.jpg"])
        // Fiji and Samoa lie on either side of the antimeridian, about 1,130 km apart.
        #expect(try names(driver, ["--near", "-17.7134,178.0650,1200"]) == ["fiji.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--bbox", "-20,175,-10,-170"]) == ["fiji.jpg", "samoa.jpg"])
        #expect(try names(driver, ["--bbox", "30,100,40,150"]) == ["tokyo.jpg"])
    }

    @Test(arguments: CatalogueDriver.all) func whereExpressions(driver: CatalogueDriver) throws {
        #expect(try names(driver, ["--where", "taken >= 2020-07 and (make = \"Canon\" or iso > 1600)"]) == ["versailles.jpg"])
        #expect(try names(driver, ["--where", "make ~ 'apple' and not iso < 60"]) == ["samoa.jpg"])
        #expect(try names(driver, ["--where", "make is null"]) == ["scan.png"])
        // A repeated option ORs within itself, --where too.
        #expect(try names(driver, ["--where", "iso in (50, 64)", "--where", "owner = 'cy'"]) == ["fiji.jpg", "samoa.jpg", "scan.png"])
        #expect(try names(driver, ["--where", "taken = 2021"]) == ["tokyo.jpg"])
    }

    @Test(arguments: CatalogueDriver.all) func sortingAndPaging(driver: CatalogueDriver) throws {
        #expect(try names(driver, ["--sort", "-iso"]) == ["versailles.jpg", "tokyo.jpg", "paris.jpg", "samoa.jpg", "fiji.jpg", "scan.png"])
        #expect(try names(driver, ["--sort", "owner,-taken"]) == ["versailles.jpg", "paris.jpg", "fiji.jpg", "tokyo.jpg", "samoa.jpg", "scan.png"])
        #expect(try names(driver, ["--sort", "taken", "--limit", "2", "--offset", "1"]) == ["versailles.jpg", "tokyo.jpg"])
        let page1 = try names(driver, ["--sort", "-size", "--limit", "4"])
        let lastID = try Self.shared(driver).run(["list", "--format", "tsv", "--no-headers", "--fields", "id", "--sort", "-size", "--limit", "4"]).lines.last!
        let page2 = try names(driver, ["--sort", "-size", "--after", lastID])
        #expect(page1.count == 4 && page2.count == 2)
        #expect(Set(page1 + page2).count == 6)
        let count = try Self.shared(driver).run(["list", "--count", "--make", "canon"])
        #expect(count.status == 0)
        #expect(count.out == "2\n")
    }

    @Test(arguments: CatalogueDriver.all) func formats(driver: CatalogueDriver) throws {
        let box = Self.shared(driver)
        let csv = try box.run(["list", "--format", "csv", "--fields", "id,name,iso", "--limit", "2"])
        #expect(csv.out == "id,name,iso\n1,paris.jpg,100\n2,versailles.jpg,3200\n")
        let tsv = try box.run(["list", "--format", "tsv", "--no-headers", "--fields", "name,make", "--type", "png"])
        #expect(tsv.out == "scan.png\t\n")
        let json = try #require(try box.json(try box.run(["list", "--json", "--fields", "id,make"])) as? [[String: Any]])
        #expect(json.count == 6)
        #expect(Set(json[0].keys) == ["id", "make"])
        #expect(json[5]["make"] is NSNull, "absent values are null, never \"\"")
        let empty = try box.run(["list", "--json", "--owner", "nobody"])
        #expect((try box.json(empty) as? [Any])?.isEmpty == true)
        let table = try box.run(["list", "--format", "table", "--no-headers", "--fields", "id,name"])
        #expect(table.lines.count == 6)
        #expect(!table.out.contains("\u{1B}["))
        let version = try #require(try box.json(try box.run(["--version", "--json"])) as? [String: Any])
        #expect(version["schema_version"] as? Int == 2)
        #expect(version["version"] is String)
        let unknown = try box.run(["list", "--fields", "id,colour"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("colour"))
    }

    @Test(arguments: CatalogueDriver.all) func stats(driver: CatalogueDriver) throws {
        let box = Self.shared(driver)
        let totals = try #require(try box.json(try box.run(["stats", "--json"])) as? [String: Any])
        #expect(totals["images"] as? Int == 6)
        let byFormat = try #require(totals["by_format"] as? [[String: Any]])
        #expect(byFormat.first?["key"] as? String == "jpeg" && byFormat.first?["images"] as? Int == 5)
        let byYear = try #require(totals["by_year"] as? [[String: Any]])
        #expect(byYear.map { $0["key"] as? String } == ["2019", "2020", "2021", "2023", "2024", nil])
        let canon = try #require(try box.json(try box.run(["stats", "--json", "--make", "canon"])) as? [String: Any])
        #expect(canon["images"] as? Int == 2)
        let table = try box.run(["stats"])
        #expect(table.status == 0 && table.out.contains("jpeg"))
        let csv = try box.run(["stats", "--format", "csv"])
        #expect(csv.status == 0 && csv.out.contains("jpeg"))
    }

    @Test(arguments: CatalogueDriver.all) func statsCountsBytesSavedByDeduplication(driver: CatalogueDriver) throws {
        let box = try Sandbox()
        let bytes = Fixtures.gif(width: 20, height: 20, seed: 99)
        for name in ["a.gif", "b.gif", "c.gif"] {
            #expect(try box.run(["upload", try box.file(name, bytes)]).status == 0)
        }
        let totals = try #require(try box.json(try box.run(["stats", "--json"])) as? [String: Any])
        #expect(totals["images"] as? Int == 1)
        #expect(totals["bytes"] as? Int == bytes.count)
        #expect(totals["duplicate_uploads"] as? Int == 2)
        #expect(totals["bytes_saved"] as? Int == 2 * bytes.count)
    }

    @Test(arguments: CatalogueDriver.all) func hostileValuesMatchLiterally(driver: CatalogueDriver) throws {
        let box = try Sandbox()
        let tricky = ["50%_off's \"deal\".jpg", "back\\slash.jpg", "star*.jpg", "50xyoff.jpg", "semi;colon'--.jpg"]
        for (i, name) in tricky.enumerated() {
            #expect(try box.run(["upload", try box.file(name, Fixtures.jpeg(width: 8, height: 8, seed: UInt32(100 + i)))]).status == 0)
        }
        func found(_ arguments: [String]) throws -> [String] {
            let r = try box.run(["list", "--format", "ndjson", "--fields", "name"] + arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            return try r.lines.map { (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["name"] as? String ?? "?" }
        }
        #expect(try found(["--name", "50%_off's \"deal\".jpg"]) == ["50%_off's \"deal\".jpg"])
        #expect(try found(["--name", "back\\slash.jpg"]) == ["back\\slash.jpg"])
        #expect(try found(["--name", "star[*].jpg"]) == ["star*.jpg"])
        #expect(try found(["--where", "name = 'semi;colon\\'--.jpg'"]) == ["semi;colon'--.jpg"])
        #expect(try found(["--where", "name = \"50%_off's \\\"deal\\\".jpg\""]) == ["50%_off's \"deal\".jpg"])
        #expect(try found(["--make", "%"]) == [])
        #expect(try found(["--owner", "' OR 1=1 --"]) == [])
        #expect(try found(["--where", "owner = \"x' OR '1'='1\""]) == [])
        let long = String(repeating: "x", count: 100_000)
        #expect(try found(["--make", long]) == [])
        #expect(try found([]).count == tricky.count, "nothing was dropped")
    }

    @Test(arguments: [
        (["--taken", "2023-13"], "--taken", "2023-13"),
        (["--iso", "abc"], "--iso", "abc"),
        (["--near", "91,0,5"], "--near", "91,0,5"),
        (["--size", "5X.."], "--size", "5X.."),
        (["--bbox", "10,0,5,5"], "--bbox", "10,0,5,5"),
        (["--sort", "colour"], "--sort", "colour"),
        (["--orientation", "round"], "--orientation", "round"),
    ])
    func badValuesAreUsageErrorsNamingOptionAndValue(arguments: [String], option: String, value: String) throws {
        // Usage errors are found before any catalogue is opened: one driver is enough.
        let r = try Self.shared(.sqlite).run(["list"] + arguments)
        #expect(r.status == 64)
        #expect(r.errLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(option) && r.stderr.contains(value), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: CatalogueDriver.all) func whereSyntaxErrorsPointAtTheColumn(driver: CatalogueDriver) throws {
        let r = try Self.shared(driver).run(["list", "--where", "iso > 100 and and make = 'x'"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--where") && r.stderr.contains("column 15"), "\(r.stderr)")
        let unknown = try Self.shared(driver).run(["list", "--where", "colour = 'red'"])
        #expect(unknown.status == 64 && unknown.stderr.contains("column 1") && unknown.stderr.contains("colour"))
    }
}
