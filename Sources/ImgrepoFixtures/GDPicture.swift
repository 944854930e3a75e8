internal import CGD

/// Owns one libgd true-colour image and frees it.
final class GDPicture {
    let image: gdImagePtr

    /// A seeded, photo-like picture: a smooth gradient, some flat shapes, then per-pixel noise of
    /// `noise` levels so the result compresses like a photograph rather than like a drawing.
    init(width: Int, height: Int, seed: UInt32, noise: Int) {
        precondition(width > 0 && height > 0 && width <= 100_000 && height <= 100_000,
                     "fixture size \(width)x\(height) out of range")
        guard let image = gdImageCreateTrueColor(Int32(width), Int32(height)) else {
            preconditionFailure("libgd: could not create a \(width)x\(height) image")
        }
        self.image = image
        var random = SeededRandom(seed: seed)
        paintGradient(width: width, height: height, random: &random)
        paintShapes(width: width, height: height, random: &random)
        if noise > 0 { addNoise(width: width, height: height, amplitude: noise, random: &random) }
    }

    deinit { gdImageDestroy(image) }

    /// Encodes with one of libgd's `gdImage*Ptr` functions and copies the result out, freeing
    /// libgd's buffer.
    func encode(_ name: String, _ encoder: (gdImagePtr, UnsafeMutablePointer<Int32>) -> UnsafeMutableRawPointer?) -> [UInt8] {
        var size: Int32 = 0
        guard let buffer = encoder(image, &size) else { preconditionFailure("libgd: \(name) encoding failed") }
        defer { gdFree(buffer) }
        guard size > 0 else { preconditionFailure("libgd: \(name) encoding produced \(size) bytes") }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }

    private func rows(_ height: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<Int32>?> {
        guard let rows = image.pointee.tpixels else { preconditionFailure("libgd: true-colour image without pixels") }
        return rows
    }

    private func paintGradient(width: Int, height: Int, random: inout SeededRandom) {
        let rows = rows(height)
        let (r0, g0, b0) = (Int(random.next() % 200), Int(random.next() % 200), Int(random.next() % 200))
        let (r1, g1, b1) = (Int(random.next() % 256), Int(random.next() % 256), Int(random.next() % 256))
        for y in 0..<height {
            guard let row = rows[y] else { continue }
            let ty = y * 256 / height
            for x in 0..<width {
                let tx = x * 256 / width
                let r = (r0 * (256 - tx) + r1 * tx) >> 8
                let g = (g0 * (256 - ty) + g1 * ty) >> 8
                let b = (b0 * (512 - tx - ty) + b1 * (tx + ty)) >> 9
                row[x] = Int32(r << 16 | g << 8 | b)
            }
        }
    }

    private func paintShapes(width: Int, height: Int, random: inout SeededRandom) {
        let scale = max(width, height)
        for _ in 0..<12 {
            let color = Int32(truncatingIfNeeded: random.next() & 0x00FF_FFFF)
            let cx = Int32(random.next() % UInt32(width)), cy = Int32(random.next() % UInt32(height))
            let w = Int32(1 + random.next() % UInt32(max(1, scale / 3)))
            let h = Int32(1 + random.next() % UInt32(max(1, scale / 3)))
            switch random.next() % 3 {
            case 0: gdImageFilledEllipse(image, cx, cy, w, h, color)
            case 1: gdImageFilledRectangle(image, cx, cy, cx + w, cy + h, color)
            default:
                var points = (0..<5).map { _ in
                    gdPoint(x: cx + Int32(random.next() % UInt32(w)) - w / 2, y: cy + Int32(random.next() % UInt32(h)) - h / 2)
                }
                gdImageFilledPolygon(image, &points, Int32(points.count), color)
            }
        }
    }

    private func addNoise(width: Int, height: Int, amplitude: Int, random: inout SeededRandom) {
        let rows = rows(height)
        let span = UInt32(2 * amplitude + 1)
        var state = random.next() | 1
        for y in 0..<height {
            guard let row = rows[y] else { continue }
            for x in 0..<width {
                // xorshift32 inline: this loop runs twelve million times for a 12 MP fixture.
                state ^= state << 13; state ^= state >> 17; state ^= state << 5
                let luma = Int(state % span) - amplitude
                let chroma = Int((state >> 16) & 7) - 3
                let p = Int(row[x])
                let r = clamp((p >> 16 & 0xFF) + luma + chroma)
                let g = clamp((p >> 8 & 0xFF) + luma)
                let b = clamp((p & 0xFF) + luma - chroma)
                row[x] = Int32(r << 16 | g << 8 | b)
            }
        }
    }
}

@inline(__always) private func clamp(_ v: Int) -> Int { v < 0 ? 0 : v > 255 ? 255 : v }

/// xorshift32: small, fast and the same on every platform, so fixtures are reproducible.
struct SeededRandom {
    private var state: UInt32

    init(seed: UInt32) { state = seed == 0 ? 0x9E37_79B9 : seed &* 0x9E37_79B9 | 1 }

    mutating func next() -> UInt32 {
        state ^= state << 13; state ^= state >> 17; state ^= state << 5
        return state
    }
}
