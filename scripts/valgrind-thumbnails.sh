#!/usr/bin/env bash
# Checks the thumbnail renderer and the fingerprinter (CImaging + ImgrepoThumbnail) with valgrind
# memcheck: any memory error or definite leak in a render or a fingerprint makes it fail.
#   scripts/valgrind-thumbnails.sh
# Environment: SCRATCH (SwiftPM scratch path, default .build-thumb), KEEP=1 keeps the work folder.
#
# How, and why not under `swift test`:
# - valgrind 3.19 crashes inside libdispatch when the swift-testing runner parks its main thread,
#   so a small driver (below) is compiled with swiftc against the SwiftPM build of the
#   ImgrepoThumbnail and ImgrepoFixtures targets.
# - The driver writes the fixtures first, outside valgrind (x265, which makes the HEIF fixture,
#   is full of valgrind noise), then renders every fixture into every output format and computes
#   its pixel and perceptual hashes, alone and together from shared decodes
#   (GDThumbnailAndFingerprintRenderer), on two threads under memcheck.
# - valgrind also gives up on the DWARF 5 that swiftc and clang write: the driver runs without
#   debug sections; the symbol table keeps frame names.
# - JSIMD_FORCENONE=1: libjpeg-turbo's AVX2 code reads the padding of its own row buffers, which
#   memcheck reports as uninitialised values although the results are discarded.
# - libgd 2.3.3's AVIF loader leaks about 290 bytes of libavif state per decode (a libgd bug, not
#   ours): suppressed, and reported in the summary as suppressed.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH:-.build-thumb}
work=$(mktemp -d -t valgrind-thumbnails.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

swift build --scratch-path "$scratch" --target ImgrepoThumbnail >&2
swift build --scratch-path "$scratch" --target ImgrepoFixtures >&2
build=$(swift build --scratch-path "$scratch" --show-bin-path)

cat > "$work/main.swift" <<'SWIFT'
import Dispatch
import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail

// driver write DIR: writes the fixtures and an index; driver render DIR: renders them all.
let arguments = CommandLine.arguments
let folder = URL(fileURLWithPath: arguments[2])
let index = folder.appendingPathComponent("index")
if arguments[1] == "write" {
    var inputs: [(String, [UInt8], ImageFormat, Int)] = [
        ("photo.jpg", Fixtures.jpeg(width: 1200, height: 900), .jpeg, 1),
        ("gray.jpg", Fixtures.grayscaleJPEG(), .jpeg, 1),
        ("cmyk.jpg", Fixtures.cmykJPEG(), .jpeg, 1),
        ("ycck.jpg", Fixtures.cmykJPEG(ycck: true), .jpeg, 1),
        ("progressive.jpg", Fixtures.progressiveJPEG(), .jpeg, 1),
        ("strip.jpg", Fixtures.jpeg(width: 1, height: 1000), .jpeg, 1),
        ("png16.png", Fixtures.png16(), .png, 1),
        ("palette.png", Fixtures.palettePNGWithTransparency(), .png, 1),
        ("alpha.png", Fixtures.alphaPNG(), .png, 1),
        ("alpha.webp", Fixtures.alphaWebP(), .webp, 1),
        ("anim.gif", Fixtures.animatedGIF(), .gif, 1),
        ("strip.png", Fixtures.solidPNG(width: 1, height: 1000), .png, 1),
        ("quad.tiff", Fixtures.quadrantPicture("tiff"), .tiff, 1),
        ("quad.bmp", Fixtures.quadrantPicture("bmp"), .bmp, 1),
        ("quad.heic", Fixtures.heif(), .heic, 6),
        ("quad.avif", Fixtures.avif(), .avif, 1),
        ("truncated.jpg", Fixtures.truncatedJPEG(), .jpeg, 1),
        ("truncated.png", Fixtures.truncatedPNG(), .png, 1),
        ("garbage.png", Fixtures.garbageWithPNGSignature(), .png, 1),
        ("bomb.png", Fixtures.pngHeaderBomb(), .png, 1),
        ("silent.gif", Array("GIF89a".utf8) + [16, 0, 16, 0] + [UInt8](repeating: 0xAB, count: 64), .gif, 1),
        ("truncated.tiff", Array(Fixtures.quadrantPicture("tiff").prefix(300)), .tiff, 1),
        ("truncated.heic", Array(Fixtures.heif().prefix(300)), .heic, 1),
        ("truncated.webp", Array(Fixtures.alphaWebP().prefix(40)), .webp, 1),
        ("wrong.png", Fixtures.jpeg(width: 64, height: 64), .png, 1),
    ]
    for o in 1...8 { inputs.append(("oriented-\(o).jpg", Fixtures.orientedJPEG(orientation: o), .jpeg, o)) }
    var lines: [String] = []
    for (name, bytes, format, orientation) in inputs {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
        lines.append("\(name) \(format.rawValue) \(orientation)")
    }
    try lines.joined(separator: "\n").write(to: index, atomically: true, encoding: .utf8)
} else {
    let jobs = try String(contentsOf: index, encoding: .utf8).split(separator: "\n").map { line in
        let f = line.split(separator: " ")
        return (folder.appendingPathComponent(String(f[0])).path, ImageFormat(rawValue: String(f[1]))!, Int(f[2])!)
    }
    let specs = try ThumbnailFormat.allCases.map { try ThumbnailSpec(size: 64, format: $0) }
    let sharedSpecs = try [ThumbnailSpec(size: 8, format: .jpeg), ThumbnailSpec(size: 1024, format: .png),
                           ThumbnailSpec(size: 1024, format: .jpeg)]
    let failures = DispatchQueue.concurrentPerform(iterations: 2) { _ in
        for (path, format, orientation) in jobs {
            for spec in specs {
                _ = try? GDThumbnailer().render(path: path, subject: path, format: format, orientation: orientation,
                                                spec: spec, maxPixels: defaultMaxPixels)
            }
            for kinds in [FingerprintKinds.all, .pixelHash, .perceptualHash] {
                _ = try? GDFingerprinter().fingerprints(path: path, subject: path, format: format, orientation: orientation,
                                                        kinds: kinds, maxPixels: defaultMaxPixels)
                // Thumbnails and fingerprints from shared decodes: boxes at the grey image's scale,
                // larger ones (another JPEG scale; the decode itself for small pictures), and a
                // pixel limit that refuses most files.
                _ = GDThumbnailAndFingerprintRenderer().thumbnailsAndFingerprints(
                    path: path, subject: path, format: format, orientation: orientation, specs: specs + sharedSpecs,
                    kinds: kinds, maxPixels: defaultMaxPixels)
            }
            _ = GDThumbnailAndFingerprintRenderer().thumbnailsAndFingerprints(
                path: path, subject: path, format: format, orientation: orientation, specs: specs, kinds: .all, maxPixels: 2000)
        }
    }
    _ = failures
    print("libgd \(GDThumbnailer.libgdVersion() ?? "missing"): rendered \(jobs.count) files into \(specs.count) formats "
          + "and fingerprinted them, alone and from shared decodes, on 2 threads")
}
SWIFT

cat > "$work/libgd.supp" <<'SUPP'
{
   libgd-2.3.3-avif-loader-leaks-libavif-state
   Memcheck:Leak
   match-leak-kinds: definite
   fun:malloc
   fun:avifAlloc
   ...
   fun:gdImageCreateFromAvifCtx
}
SUPP

swiftc -Onone -g -o "$work/driver" "$work/main.swift" -I "$build/Modules" \
  -Xcc -fmodule-map-file="$build/CImaging.build/module.modulemap" \
  -Xcc -fmodule-map-file="$build/CCrypto.build/module.modulemap" \
  -Xcc -fmodule-map-file="$build/CFixtureJPEG.build/module.modulemap" \
  -Xcc -fmodule-map-file=Sources/CGD/module.modulemap \
  -Xcc -fmodule-map-file=Sources/CExif/module.modulemap \
  -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap \
  -Xcc -fmodule-map-file=Sources/CZlibLoader/include/module.modulemap \
  "$build"/ImgrepoThumbnail.build/*.o "$build"/CImaging.build/*.o "$build"/CCrypto.build/*.o "$build"/ImageProbe.build/*.o \
  "$build"/CZlibLoader.build/*.o "$build"/CLoader.build/*.o \
  "$build"/ImgrepoCore.build/*.o "$build"/ImgrepoFixtures.build/*.o "$build"/CFixtureJPEG.build/*.o \
  -lgd -lexif -ljpeg -lz 2>"$work/swiftc.log" || { cat "$work/swiftc.log" >&2; exit 1; }
objcopy --strip-debug "$work/driver" "$work/driver.stripped"

"$work/driver" write "$work"
status=0
JSIMD_FORCENONE=1 valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
  --error-exitcode=99 --num-callers=40 --suppressions="$work/libgd.supp" --log-file="$work/valgrind.log" \
  "$work/driver.stripped" render "$work" || status=$?

grep -E "ERROR SUMMARY|definitely lost|indirectly lost" "$work/valgrind.log" | sed 's/^==[0-9]*== //' >&2 || true
grep -A3 "used_suppression" "$work/valgrind.log" >&2 || true
if [ "$status" -ne 0 ]; then
  echo "valgrind-thumbnails.sh: memory errors or definite leaks (exit $status); log: $work/valgrind.log" >&2
  [ "${KEEP:-0}" = 1 ] || cp "$work/valgrind.log" /tmp/valgrind-thumbnails.log
  exit "$status"
fi
echo "valgrind-thumbnails.sh: no memory errors, no definite leaks in rendering and fingerprinting" >&2
