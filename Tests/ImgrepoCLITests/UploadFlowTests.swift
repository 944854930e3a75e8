import Foundation
import ImgrepoFixtures
import Testing

/// The main path, end to end through the built binary:
/// upload → list --json → details --json → get → duplicate upload → delete → list empty.
@Suite struct UploadFlowTests {
    @Test(arguments: CatalogueDriver.all) func wholeFlow(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let photo = try box.file("IMG_0001.JPG", Fixtures.jpeg(width: 320, height: 240, seed: 7, exif: .sample))

        let upload = try box.run(["upload", photo])
        #expect(upload.status == 0, "stderr: \(upload.stderr)")
        #expect(upload.lines == ["stored 1 IMG_0001.JPG"])

        let list = try box.run(["list", "--json"])
        #expect(list.status == 0)
        let records = try #require(try box.json(list) as? [[String: Any]])
        #expect(records.count == 1)
        let record = records[0]
        let expectedHash = try shell(["sha512sum", photo]).out.split(separator: " ")[0]
        #expect(record["id"] as? Int == 1)
        #expect(record["sha512"] as? String == String(expectedHash))
        #expect(record["name"] as? String == "IMG_0001.JPG")
        #expect(record["path"] as? String == photo)
        #expect(record["format"] as? String == "jpeg")
        #expect(record["mime_type"] as? String == "image/jpeg")
        #expect(record["width"] as? Int == 320)
        #expect(record["height"] as? Int == 240)
        #expect(record["size"] as? Int == (try FileManager.default.attributesOfItem(atPath: photo)[.size] as? Int))
        #expect(record["owner"] as? String == "root" || record["owner"] as? String == NSUserName())
        #expect(record["make"] as? String == "Canon")
        #expect(record["model"] as? String == "Canon EOS R5")
        #expect(record["taken_at"] as? String == "2023-06-01T12:34:56.123+02:00")
        #expect(record["taken_utc"] as? String == "2023-06-01T10:34:56.123000Z")
        #expect(record["orientation"] as? Int == 6)
        #expect(record["exif_status"] as? String == "read")
        let uploadedAt = try #require(record["uploaded_at"] as? String)
        #expect(uploadedAt.hasSuffix("Z") && uploadedAt.contains("."), "ISO 8601 UTC with fractional seconds: \(uploadedAt)")

        let details = try box.run(["details", "--json", "1"])
        #expect(details.status == 0)
        let object = try #require(try box.json(details) as? [String: Any])
        let names = try #require(object["names"] as? [[String: Any]])
        #expect(names.map { $0["name"] as? String } == ["IMG_0001.JPG"])
        let tags = try #require(object["exif_tags"] as? [[String: Any]])
        #expect(tags.contains { $0["name"] as? String == "Make" && $0["value"] as? String == "Canon" && $0["ifd"] as? String == "IFD0" })
        #expect(tags.contains { $0["name"] as? String == "DateTimeOriginal" && $0["ifd"] as? String == "ExifIFD" })

        // get: the same bytes, whose SHA-512 sha512sum agrees with.
        let out = box.root.path + "/out.jpg"
        let get = try box.run(["get", "1", "-o", out])
        #expect(get.status == 0, "stderr: \(get.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: photo)))
        #expect(try shell(["sha512sum", out]).out.split(separator: " ")[0] == expectedHash)
        let piped = try box.run(["get", String(expectedHash.prefix(12))])
        #expect(piped.status == 0)
        #expect(piped.stdout == (try Data(contentsOf: URL(fileURLWithPath: photo))))

        // A second copy under another name is a duplicate: no new image, a new known name.
        let copy = try box.file("copy.jpg", Array(try Data(contentsOf: URL(fileURLWithPath: photo))))
        let dup = try box.run(["upload", copy])
        #expect(dup.status == 0)
        #expect(dup.lines == ["duplicate 1 copy.jpg"])
        let objects = try FileManager.default.subpathsOfDirectory(atPath: box.repo + "/objects").filter { $0.count > 3 }
        #expect(objects.count == 1)
        let names2 = try #require((try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])?["names"] as? [[String: Any]])
        #expect(names2.map { $0["name"] as? String } == ["IMG_0001.JPG", "copy.jpg"])

        let delete = try box.run(["delete", "1"])
        #expect(delete.status == 0)
        #expect(delete.lines == ["deleted 1 IMG_0001.JPG"])
        let empty = try box.run(["list", "--json"])
        #expect((try box.json(empty) as? [Any])?.isEmpty == true)
        let remaining = try FileManager.default.subpathsOfDirectory(atPath: box.repo + "/objects").filter { $0.count > 3 }
        #expect(remaining.isEmpty, "blob removed with its row")

        // Ids are never reused.
        let again = try box.run(["upload", photo])
        #expect(again.lines == ["stored 2 IMG_0001.JPG"])
    }

    @Test(arguments: CatalogueDriver.all) func getWritesIntoAFolderUnderTheOriginalNameAndRefusesATerminal(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let bytes = Fixtures.gif(width: 9, height: 9, seed: 12)
        let photo = try box.file("in/party.gif", bytes)
        #expect(try box.run(["upload", photo]).status == 0)
        let folder = box.root.path + "/restore"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for target in [folder + "/", folder] {
            try? FileManager.default.removeItem(atPath: folder + "/party.gif")
            let r = try box.run(["get", "1", "-o", target])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/party.gif")) == Data(bytes))
        }
        let dash = try box.run(["get", "1", "-o", "-"])
        #expect(dash.stdout == Data(bytes))
        // script(1) gives imgrepo a real terminal as stdout.
        let command = ([Sandbox.binary, "get", "1"]).map { "'\($0)'" }.joined(separator: " ")
        let tty = try shell(["env", "IMGREPO_REPO=\(box.repo)", "script", "-qec", command, "/dev/null"])
        #expect(tty.status == 64, "refused with a usage error: \(tty.out)")
        #expect(tty.out.contains("refusing to write binary image data to a terminal"))
        #expect(!tty.out.contains("GIF89a"), "no image bytes on the terminal")
    }

    @Test(arguments: CatalogueDriver.all) func uploadFromStandardInput(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let png = Fixtures.png(width: 40, height: 30, seed: 3)
        let r = try box.run(["upload", "-", "--name", "scan.png", "--json"], stdin: Data(png))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let event = try #require(try box.json(r) as? [String: Any])
        #expect(event["status"] as? String == "stored")
        #expect(event["name"] as? String == "scan.png")
        #expect(event["format"] as? String == "png")
        #expect(event["width"] as? Int == 40)
        let list = try #require(try box.json(try box.run(["list", "--json"])) as? [[String: Any]])
        #expect(list.first?["path"] is NSNull)
    }

    /// Issue 17: standard input had a path of its own that never made thumbnails or
    /// fingerprints (`cat a.jpg | imgrepo upload - --thumbnails 256` cached nothing, silently).
    /// It is now a file of the batch like any other.
    @Test(arguments: CatalogueDriver.all) func standardInputGetsThumbnailsAndFingerprintsAsAFileDoes(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let jpeg = Fixtures.jpeg(width: 300, height: 200, seed: 8)
        let before = try box.file("before.jpg", Fixtures.jpeg(width: 310, height: 200, seed: 9))
        let r = try box.run(["upload", before, "-", "--thumbnails", "256", "--fingerprints", "perceptual", "--json"], stdin: Data(jpeg))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let events = r.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.map { $0["name"] as? String } == ["before.jpg", "stdin"])
        #expect(events.map { $0["status"] as? String } == ["stored", "stored"])
        // Its thumbnail is cached: asking for it is a hit, and the cache holds one per image.
        let thumbnail = try box.run(["thumbnail", "2", "--json", "-o", box.root.path + "/t.jpg"])
        #expect((try box.json(thumbnail) as? [String: Any])?["cached"] as? Bool == true, "\(thumbnail.out)")
        let cached = (FileManager.default.enumerator(atPath: box.repo + "/thumbnails")?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".jpg") }
        #expect(cached.count == 2, "\(cached)")
        let details = try #require(try box.json(try box.run(["details", "--json", "2"])) as? [String: Any])
        #expect((details["phash"] as? String)?.count == 16, "\(details)")
        #expect(details["path"] is NSNull)
    }

    @Test(arguments: CatalogueDriver.all) func everyFormatIsRecognisedWithItsDimensions(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        let files: [(String, [UInt8], String)] = [
            ("a.jpg", Fixtures.jpeg(width: 33, height: 21, seed: 1), "jpeg"),
            ("b.png", Fixtures.png(width: 34, height: 22, seed: 2), "png"),
            ("c.gif", Fixtures.gif(width: 35, height: 23, seed: 3), "gif"),
            ("d.webp", Fixtures.webp(width: 36, height: 24, seed: 4), "webp"),
            ("e.bmp", Fixtures.bmp(width: 37, height: 25, seed: 5), "bmp"),
            ("f.tiff", Fixtures.tiff(width: 38, height: 26, seed: 6), "tiff"),
        ]
        let paths = try files.map { try box.file($0.0, $0.1) }
        let r = try box.run(["upload", "--json"] + paths)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let events = try r.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(events.count == files.count)
        for (event, (name, _, format)) in zip(events, files) {
            #expect(event["format"] as? String == format, "\(name)")
            #expect(event["status"] as? String == "stored", "\(name)")
        }
        let list = try #require(try box.json(try box.run(["list", "--json", "--sort", "name"])) as? [[String: Any]])
        #expect(list.map { $0["width"] as? Int } == [33, 34, 35, 36, 37, 38])
        #expect(list.map { $0["height"] as? Int } == [21, 22, 23, 24, 25, 26])
    }

    @Test(arguments: CatalogueDriver.all) func pngExifIsRead(driver: CatalogueDriver) throws {
        let box = try Sandbox(driver: driver)
        var exif = FixtureExif.sample
        exif.make = "NIKON CORPORATION"
        let path = try box.file("x.png", Fixtures.png(width: 20, height: 10, seed: 9, exif: exif))
        #expect(try box.run(["upload", path]).status == 0)
        let list = try #require(try box.json(try box.run(["list", "--json"])) as? [[String: Any]])
        #expect(list.first?["make"] as? String == "NIKON CORPORATION")
    }
}
