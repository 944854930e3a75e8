import Dispatch
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Synchronization
import Testing

@Suite("fingerprint concurrency")
struct FingerprintConcurrencyTests {
    @Test("fingerprints on several threads at once are those of one at a time, errors included")
    func identicalResults() throws {
        let scratch = try Scratch()
        let inputs: [(String, ImageFormat)] = [
            (try scratch.write(Fixtures.jpeg(width: 640, height: 480), named: "a.jpg"), .jpeg),
            (try scratch.write(Fixtures.png(width: 300, height: 200), named: "b.png"), .png),
            (try scratch.write(Fixtures.truncatedPNG(), named: "c.png"), .png),
            (try scratch.write(Fixtures.truncatedJPEG(), named: "d.jpg"), .jpeg),
            (try scratch.write(Fixtures.webp(width: 200, height: 100), named: "e.webp"), .webp),
        ]
        @Sendable func once(_ i: Int) -> String {
            let (path, format) = inputs[i % inputs.count]
            do {
                let f = try GDFingerprinter().fingerprints(path: path, subject: "x", format: format, orientation: 1 + i % 8,
                                                           kinds: .all, maxPixels: defaultMaxPixels)
                return "\(f.pixelSHA512 ?? "-") \(f.perceptualHash.map { String($0, radix: 16) } ?? "-")"
            } catch {
                // Each thread must see its own error message, not another thread's.
                return "\(error)"
            }
        }
        let serial = (0..<40).map(once)
        let parallel = Mutex([String?](repeating: nil, count: 40))
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            let result = once(i)
            parallel.withLock { $0[i] = result }
        }
        #expect(parallel.withLock { $0 } == serial)
        #expect(serial[2].contains("png decoder: gd-png: fatal libpng error"))
        #expect(serial[3].contains("jpeg decoder: "))
    }
}
