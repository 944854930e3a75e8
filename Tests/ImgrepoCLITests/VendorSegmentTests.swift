import Foundation
import ImgrepoFixtures
import Testing

/// Cameras of the late 1990s that wrote no EXIF, end to end through the built binary: a JPEG
/// whose only metadata is a vendor segment (docs/metadata.md, "Vendor blocks") is uploaded and
/// `details --json` shows the fields taken from it.
@Suite struct VendorSegmentTests {
    @Test func canonCIFFHeapInAPP0() throws {
        let box = try Sandbox()
        let ciff = Fixtures.canonCIFF(make: "Canon", model: "Canon PowerShot A5", seconds: 972_687_386, focalLength: 5)
        let file = try box.file("a5.jpg", Fixtures.jpeg(Fixtures.jpeg(width: 32, height: 24, seed: 7), segment: 0xE0, ciff))
        let upload = try box.run(["upload", file])
        #expect(upload.status == 0, "\(upload.stderr)")

        let details = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])
        #expect(details["exif_status"] as? String == "absent")
        #expect(details["make"] as? String == "Canon")
        #expect(details["model"] as? String == "Canon PowerShot A5")
        #expect(details["taken_at"] as? String == "2000-10-27T22:56:26")
        #expect(details["taken_source"] as? String == "exif")
        #expect(details["taken_tag"] as? String == "CIFF:DateTimeOriginal")
        #expect(details["focal_length"] as? Double == 5)
        #expect(details["width"] as? Int == 32)

        let found = try box.run(["list", "--format", "tsv", "--no-headers", "--fields", "name", "--where", "model = 'Canon PowerShot A5'"])
        #expect(found.lines == ["a5.jpg"], "\(found.stderr)")
    }

    @Test func app12PictureInfo() throws {
        let box = try Sandbox()
        let text = "OLYMPUS OPTICAL CO.,LTD.\0 713\r\n[picture info]\r\nTimeDate=946730096\r\nShutter=16667\r\nFlash=1\r\n"
            + "FNumber=F5.6\r\n[camera info]\r\nType=SR55\r\n"
        let file = try box.file("d320l.jpg", Fixtures.jpeg(Fixtures.jpeg(width: 32, height: 24, seed: 8), segment: 0xEC, Array(text.utf8)))
        let upload = try box.run(["upload", file])
        #expect(upload.status == 0, "\(upload.stderr)")

        let details = try #require(try box.json(try box.run(["details", "--json", "1"])) as? [String: Any])
        #expect(details["exif_status"] as? String == "absent")
        #expect(details["taken_at"] as? String == "2000-01-01T12:34:56")
        #expect(details["taken_source"] as? String == "exif")
        #expect(details["taken_tag"] as? String == "APP12:DateTimeOriginal")
        #expect((details["exposure_time"] as? Double).map { abs($0 - 0.016667) < 1e-9 } == true, "\(details["exposure_time"] ?? "nil")")
        #expect(details["f_number"] as? Double == 5.6)
        #expect(details["flash"] as? Int == 1)
    }
}
