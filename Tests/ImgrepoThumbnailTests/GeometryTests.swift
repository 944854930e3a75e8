import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import Testing

/// Output sizes agree with `ThumbnailSpec.outputSize`; resampling averages.
@Suite("geometry")
struct GeometryTests {
    @Test("a box larger than the image gives the image at 1:1, never enlarged")
    func neverUpscales() throws {
        let image = try decode(try render(Fixtures.quadrantPicture("png", width: 40, height: 30), as: .png, box: (256, 256)))
        #expect((image.width, image.height) == (40, 30))
        #expect(near(image.pixel(0, 0), .red, tolerance: 0) && near(image.pixel(39, 29), .white, tolerance: 0))
    }

    @Test("a thin strip keeps at least one pixel across", arguments: [(1, 1000), (1000, 1)])
    func strip(width: Int, height: Int) throws {
        for (bytes, format) in [(Fixtures.solidPNG(width: width, height: height, color: .green), ImageFormat.png),
                                (Fixtures.jpeg(width: width, height: height), .jpeg)] {
            let thumbnail = try render(bytes, as: format, box: (256, 256), output: .png)
            #expect((thumbnail.width, thumbnail.height) == (width == 1 ? (1, 256) : (256, 1)), "\(format)")
            _ = try decode(thumbnail)
        }
    }

    @Test("a non-square box fits the tighter side")
    func fitBox() throws {
        let thumbnail = try render(Fixtures.jpeg(width: 400, height: 300), as: .jpeg, box: (100, 50))
        #expect((thumbnail.width, thumbnail.height) == (67, 50))
        let tall = try render(Fixtures.jpeg(width: 400, height: 300), as: .jpeg, box: (50, 100))
        #expect((tall.width, tall.height) == (50, 38))
    }

    @Test("sizes match ThumbnailSpec.outputSize for every shape, box and orientation")
    func matchesSpec() throws {
        let sizes = [(1, 1), (3, 2), (333, 200), (200, 333), (257, 256), (256, 257), (1, 700), (700, 1)]
        let boxes = [(256, 256), (100, 50), (50, 100), (1, 1), (7, 300)]
        for (w, h) in sizes {
            let png = Fixtures.solidPNG(width: w, height: h)
            for (bw, bh) in boxes {
                let spec = try ThumbnailSpec(width: bw, height: bh, format: .png)
                for orientation in [1, 6] {
                    let expected = orientation >= 5 ? spec.outputSize(orientedWidth: h, orientedHeight: w)
                                                    : spec.outputSize(orientedWidth: w, orientedHeight: h)
                    let thumbnail = try render(png, as: .png, orientation: orientation, box: (bw, bh))
                    #expect(thumbnail.width == expected.width && thumbnail.height == expected.height,
                            "\(w)x\(h) in \(bw)x\(bh), orientation \(orientation): \(thumbnail.width)x\(thumbnail.height), spec says \(expected)")
                }
            }
        }
    }

    @Test("JPEG sizes match ThumbnailSpec.outputSize through scaled decoding")
    func jpegMatchesSpec() throws {
        for (w, h) in [(1000, 750), (999, 7), (1203, 1601)] {
            let jpeg = Fixtures.jpeg(width: w, height: h)
            for (bw, bh) in [(256, 256), (100, 50), (1, 1), (1000, 1000)] {
                let spec = try ThumbnailSpec(width: bw, height: bh, format: .png)
                for orientation in [1, 8] {
                    let expected = orientation >= 5 ? spec.outputSize(orientedWidth: h, orientedHeight: w)
                                                    : spec.outputSize(orientedWidth: w, orientedHeight: h)
                    let thumbnail = try render(jpeg, as: .jpeg, orientation: orientation, box: (bw, bh))
                    #expect(thumbnail.width == expected.width && thumbnail.height == expected.height,
                            "\(w)x\(h) in \(bw)x\(bh), orientation \(orientation): \(thumbnail.width)x\(thumbnail.height), spec says \(expected)")
                }
            }
        }
    }

    @Test("resampling averages areas: a 2-pixel checkerboard shrunk 4× is grey, not black or white")
    func notNearestNeighbour() throws {
        let image = try decode(try render(Fixtures.checkerboardPNG(width: 64, height: 64, cell: 2), as: .png, box: (16, 16)))
        #expect((image.width, image.height) == (16, 16))
        for y in 0..<16 {
            for x in 0..<16 {
                let p = image.pixel(x, y)
                #expect(near(p, Fixtures.RGBA(127, 127, 127), tolerance: 4), "(\(x), \(y)) is \(p)")
            }
        }
    }
}
