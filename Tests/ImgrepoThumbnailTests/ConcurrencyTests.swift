import Dispatch
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Synchronization
import Testing

@Suite("concurrency")
struct ConcurrencyTests {
    @Test("renders on several threads at once give the same bytes as one at a time")
    func identicalBytes() throws {
        let scratch = try Scratch()
        let inputs: [(String, ImageFormat)] = [
            (try scratch.write(Fixtures.jpeg(width: 800, height: 600), named: "a.jpg"), .jpeg),
            (try scratch.write(Fixtures.png(width: 300, height: 200), named: "b.png"), .png),
            (try scratch.write(Fixtures.truncatedPNG(), named: "c.png"), .png),
        ]
        let spec = try ThumbnailSpec(size: 128, format: .jpeg)
        @Sendable func once(_ i: Int) -> String {
            let (path, format) = inputs[i % inputs.count]
            do {
                let t = try GDThumbnailer().render(path: path, subject: "x", format: format, orientation: 1 + i % 8,
                                                   spec: spec, maxPixels: defaultMaxPixels)
                return "\(t.width)x\(t.height) \(t.bytes.hashValue) \(t.bytes.count)"
            } catch {
                // Each thread must see its own error message, not another thread's.
                return "\(error)"
            }
        }
        let serial = (0..<24).map(once)
        let parallel = Mutex([String?](repeating: nil, count: 24))
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let result = once(i)
            parallel.withLock { $0[i] = result }
        }
        #expect(parallel.withLock { $0 } == serial)
        #expect(serial[2].contains("png decoder: gd-png: fatal libpng error"))
    }
}
