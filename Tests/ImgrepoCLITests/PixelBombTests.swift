import Foundation
import ImgrepoFixtures
import Testing

/// Small files that would cost far more memory or time to decode than their size suggests
/// (issue 23, item 7) are refused with one line and exit 65, within a bounded memory: each
/// `thumbnail` runs under GNU time, which reports the child's peak resident set.
@Suite struct PixelBombTests {
    /// What the issue asks of any input: a decode's process stays under 256 MiB.
    static let memoryBound = 256 * 1024  // KiB, as GNU time's %M reports it

    /// Uploads `bytes` (stored even when the probe calls them damaged) and thumbnails image 1;
    /// returns the result and the thumbnail process's peak RSS in KiB.
    func thumbnail(_ name: String, _ bytes: [UInt8], _ extra: [String] = []) throws -> (Sandbox.Result, Int) {
        let box = try Sandbox()
        let upload = try box.run(["upload", "--allow-damaged", try box.file(name, bytes)])
        #expect(upload.status == 0, "\(upload.stderr)")
        let report = box.root.path + "/time.txt"
        let r = try box.run(["thumbnail", "1", "--no-cache"] + extra, prefix: ["/usr/bin/time", "-f", "%M", "-o", report])
        let text = try String(contentsOfFile: report, encoding: .utf8)
        let peak = try #require(text.split(separator: "\n").last.flatMap { Int($0) }, "time said: \(text)")
        return (r, peak)
    }

    func expectRefused(_ r: Sandbox.Result, _ words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 65, "\(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.errLines.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("image 1: cannot decode"), "\(r.stderr)", sourceLocation: sourceLocation)
        for word in words { #expect(r.stderr.contains(word), "\(word): \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func pngOfTooManyPixelsForLibgdIsRefusedBeforeDecoding() throws {
        // 121 MP in a few KB: under the 128 MP default, but libgd would hold 5-8 bytes a pixel.
        let (r, peak) = try thumbnail("bomb.png", Fixtures.blankPNG(width: 11_000, height: 11_000))
        expectRefused(r, ["11000×11000 is 121 megapixels, over the 24-megapixel limit for png"])
        #expect(peak < Self.memoryBound, "peak \(peak) KiB")
    }

    @Test func pngUnderItsLimitDecodesWithinTheBound() throws {
        // Near the PNG limit, in the layout libgd holds at 8 bytes a pixel: still decoded, and
        // still within the bound.
        let (r, peak) = try thumbnail("large.png", Fixtures.blankPNG(width: 4_800, height: 4_800, rgba: true))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(peak < Self.memoryBound, "peak \(peak) KiB")
    }

    @Test(arguments: ["tEXt", "zTXt", "iCCP", "prVt"]) func pngChunkClaimingMoreThanTheFileIsRefused(type: String) throws {
        let (r, peak) = try thumbnail("claim.png", Fixtures.pngClaimingChunk(type))
        expectRefused(r, ["png decoder", type, "2147483647"])
        #expect(peak < Self.memoryBound, "peak \(peak) KiB")
    }

    @Test func progressiveJPEGWhoseCoefficientsWouldPassTheBudgetIsRefused() throws {
        // 64 MP, under --max-pixels, but its coefficients alone would take 192 MB.
        let (r, peak) = try thumbnail("large.jpg", Fixtures.largeProgressiveJPEG(width: 8_000, height: 8_000))
        expectRefused(r, ["jpeg decoder: a progressive 8000x8000 image needs more than the 160 MiB a decode may use"])
        #expect(peak < Self.memoryBound, "peak \(peak) KiB")
    }

    @Test func webPWithALongTailIsRefusedBeforeLibgdCopiesIt() throws {
        // libgd's WebP reader copies the file to its end, whatever the RIFF header says.
        let bytes = Fixtures.webp(width: 64, height: 48) + [UInt8](repeating: 0, count: 80 * 1024 * 1024)
        let (r, peak) = try thumbnail("tail.webp", bytes)
        expectRefused(r, ["webp decoder:", "more than the 64 MiB libgd's webp reader may hold"])
        #expect(peak < Self.memoryBound, "peak \(peak) KiB")
    }

    /// Under the 64 MiB cap, a file and its pixels together can still pass the bound: libgd
    /// grows its copy of the file by doubling before it decodes (a 24 MP WebP with a 63 MiB tail
    /// took 274 MiB). Such a pair is refused from the header; the same picture without the tail
    /// decodes, within the bound.
    @Test func webPWhoseFileAndPixelsTogetherPassTheBoundIsRefused() throws {
        let picture = Fixtures.webp(width: 6000, height: 3990)
        let (r, peak) = try thumbnail("big-tail.webp", picture + [UInt8](repeating: 0, count: 60 * 1024 * 1024))
        expectRefused(r, ["webp decoder: 6000×3990 in a file of", "MiB to decode, over the 224 MiB bound"])
        #expect(peak < Self.memoryBound, "peak \(peak) KiB")
        let (plain, plainPeak) = try thumbnail("big.webp", picture)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plainPeak < Self.memoryBound, "peak \(plainPeak) KiB")
    }

    @Test func progressiveJPEGWithTooManyScansIsRefused() throws {
        let bomb = Fixtures.jpeg(Fixtures.progressiveJPEG(width: 256, height: 256), scans: 300)
        let (r, peak) = try thumbnail("scans.jpg", bomb)
        expectRefused(r, ["jpeg decoder", "more than 100 scans"])
        #expect(peak < Self.memoryBound, "peak \(peak) KiB")
    }
}
