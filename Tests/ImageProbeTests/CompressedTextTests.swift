import CZlib
@testable import ImageProbe
import Testing

/// PNG's compressed text chunks (zTXt, compressed iTXt), as ImageMagick writes EXIF: inflated
/// within the limits, and damaged or hostile streams turned into warnings.
@Suite("compressed PNG text chunks")
struct CompressedTextTests {
    typealias F = Fixture
    static let keyword = ExifContainerTests.keyword
    static let xmpKeyword = F.ascii("XML:com.adobe.xmp") + [0]
    static let exifPrefixed = F.ascii("Exif") + [0, 0] + F.exifBlock
    static let profile = ExifContainerTests.rawProfile(exifPrefixed)

    static func zTXt(_ stream: [UInt8], method: UInt8 = 0) -> [UInt8] {
        F.png(extra: [F.chunk("zTXt", keyword + [method] + stream)])
    }

    static func iTXt(_ keyword: [UInt8], _ stream: [UInt8]) -> [UInt8] {
        F.png(extra: [F.chunk("iTXt", keyword + [1, 0] + F.ascii("en") + [0, 0] + stream)])
    }

    /// 100 MiB of zeros deflated (about 100 KiB): deflated in 1 MiB steps, never held whole.
    static let bomb: [UInt8] = {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        precondition(czlib_deflate_init(stream, Z_BEST_COMPRESSION) == Z_OK)
        var zeros = [UInt8](repeating: 0, count: 1024 * 1024)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        for step in 0 ..< 100 {
            zeros.withUnsafeMutableBufferPointer { input in
                stream.pointee.next_in = input.baseAddress
                stream.pointee.avail_in = UInt32(input.count)
                repeat {
                    buffer.withUnsafeMutableBufferPointer { o in
                        stream.pointee.next_out = o.baseAddress
                        stream.pointee.avail_out = UInt32(o.count)
                        _ = deflate(stream, step == 99 ? Z_FINISH : Z_NO_FLUSH)
                        out += o.prefix(o.count - Int(stream.pointee.avail_out))
                    }
                } while stream.pointee.avail_out == 0
            }
        }
        return out
    }()

    @Test("zTXt raw profile gives the same EXIF as tEXt, in any chunking")
    func zTXtRawProfile() throws {
        let bytes = Self.zTXt(zlib(Self.profile))
        let expected = ImageInfo(format: .png, width: 16, height: 9, exif: F.exifBlock)
        #expect(try inspect(bytes) == expected)
        #expect(try inspect(bytes, chunkSize: 1) == expected)
        #expect(try inspect(bytes, chunkSize: 7) == expected)
    }

    @Test("compressed iTXt raw profile and XMP are inflated")
    func compressedITXt() throws {
        #expect(try inspect(Self.iTXt(Self.keyword, zlib(Self.profile)))?.exif == F.exifBlock)
        let packet = F.ascii("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF/></x:xmpmeta>")
        let info = try #require(try inspect(Self.iTXt(Self.xmpKeyword, zlib(packet)), chunkSize: 5))
        #expect(info.xmp == packet)
        #expect(info.warnings.isEmpty)
    }

    @Test("a truncated stream is a warning naming the chunk, and no EXIF")
    func truncated() throws {
        let stream = zlib(Self.profile)
        for cut in [0, 1, 2, stream.count / 2, stream.count - 1] {
            let info = try #require(try inspect(Self.zTXt(Array(stream.prefix(cut)))))
            #expect(info.exif == nil)
            #expect(info.warnings == ["'Raw profile type exif' zTXt chunk has truncated compressed data; ignored"], "cut at \(cut)")
        }
    }

    @Test("a corrupt stream is a warning with zlib's message, and no EXIF or XMP")
    func corrupt() throws {
        var badHeader = zlib(Self.profile)
        badHeader[1] ^= 0xFF
        var badChecksum = zlib(Self.profile)
        badChecksum[badChecksum.count - 1] ^= 0xFF
        for (stream, message) in [(badHeader, "incorrect header check"), (badChecksum, "incorrect data check")] {
            let info = try #require(try inspect(Self.zTXt(stream)))
            #expect(info.exif == nil)
            #expect(info.warnings == ["'Raw profile type exif' zTXt chunk has corrupt compressed data (zlib: \(message)); ignored"])
        }
        let xmp = try #require(try inspect(Self.iTXt(Self.xmpKeyword, badChecksum)))
        #expect(xmp.xmp == nil)
        #expect(xmp.warnings == ["xmp iTXt chunk has corrupt compressed data (zlib: incorrect data check); ignored"])
        let method = try #require(try inspect(Self.zTXt(zlib(Self.profile), method: 1)))
        #expect(method.exif == nil)
        #expect(method.warnings == ["'Raw profile type exif' zTXt chunk uses compression method 1, not zlib deflate; ignored"])
    }

    @Test("a zip bomb stops early with a warning: 100 MiB of zeros")
    func bomb() throws {
        #expect(Self.bomb.count < 200 * 1024)
        let clock = ContinuousClock()
        var raw: ImageInfo?
        var xmp: ImageInfo?
        let elapsed = try clock.measure {
            raw = try inspect(Self.zTXt(Self.bomb))
            xmp = try inspect(Self.iTXt(Self.xmpKeyword, Self.bomb))
        }
        #expect(raw?.exif == nil)
        #expect(raw?.warnings == ["'Raw profile type exif' zTXt chunk inflates more than 100 times its compressed size (a zip bomb?); ignored"])
        #expect(xmp?.xmp == nil)
        #expect(xmp?.warnings == ["xmp iTXt chunk inflates to more than 1 MiB; ignored"])
        // The ratio refusal (not the 34 MiB cap) shows the raw profile stopped near 1 MiB; the
        // clock, generous for a shared machine, catches a return to inflating everything.
        #expect(elapsed < .seconds(2), "\(elapsed)")
    }

    @Test("the cap holds for output at a plausible ratio")
    func cap() {
        let text = [UInt8]((0 ..< 20_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) })
        #expect(ZlibInflate.inflate(zlib(text)[...], limit: 20_000) == .success(text))
        #expect(ZlibInflate.inflate(zlib(text)[...], limit: 19_999) == .failure(.tooLarge(limit: 19_999)))
    }

    @Test("bytes after the stream's end are ignored, as libpng does")
    func trailingBytes() throws {
        #expect(try inspect(Self.zTXt(zlib(Self.profile) + [1, 2, 3]))?.exif == F.exifBlock)
    }
}

/// `data` as one zlib stream, by zlib itself.
func zlib(_ data: [UInt8]) -> [UInt8] {
    var size = compressBound(uLong(data.count))
    var out = [UInt8](repeating: 0, count: Int(size))
    let code = out.withUnsafeMutableBufferPointer { o in
        data.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(i.count), Z_BEST_COMPRESSION) }
    }
    precondition(code == Z_OK)
    return Array(out.prefix(Int(size)))
}
