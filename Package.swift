// swift-tools-version:6.0
// imgrepo: a content-addressed image repository with a SQLite catalogue.
//
// Layers are targets (see ../shared/STYLE.md and docs/architecture.md):
//   C shims (CSQLite, CExif, CGD)            — module maps only, owned by one wrapper target each
//   CLoader                                  — dlopen on first use, for the libraries only some commands need:
//     CExifLoader / CExpatLoader / CZlibLoader — libexif, libexpat, zlib's inflate (PNG's compressed text)
//   CCrypto                                  — libcrypto's SHA-512, dlopen'ed on first use
//   ImageProbe                               — Swift over zlib alone: format sniffing, header dimensions, container walking
//   ImgrepoCore                              — the domain; builds without any C library
//   ImgrepoSQL                               — pure Swift: the query compiler the SQL drivers share
//   ImgrepoSHA512 / ImgrepoExif / ImgrepoSQLite / ImgrepoMySQL — wrappers and drivers over one C library each
//   ImgrepoOutput                            — rendering records as table, JSON, NDJSON, CSV, TSV
//   CImaging / ImgrepoThumbnail              — thumbnails and pixel/perceptual hashes: libjpeg-turbo + libgd,
//                                              dlopen'ed on first use
//   imgrepo                                  — argument parsing only
//   ImgrepoFixtures / imgrepo-sample         — test, demo and benchmark images drawn with libgd + libexif
//                                              (CFixtureJPEG: the JPEG encodings libgd cannot write)
//   imgrepo-simeval                          — the perceptual hash's robustness study (docs/duplicates.md)
import PackageDescription

/// How the release binary is linked for a fast start (docs/benchmarks.md, "Start-up"). They only
/// change anything with `--static-swift-stdlib`, whose link line (the toolchain's
/// static-stdlib-args.lnk) adds `-lstdc++` and `-export-dynamic`:
/// - `-L link/static-libstdc++`: that folder's `libstdc++.so` is a linker script naming
///   `libstdc++.a`, so `-lstdc++` links the C++ runtime statically (loading and initialising
///   libstdc++.so.6 costs every command about 0.5 ms);
/// - `--no-export-dynamic`: the executable's own ~4,000 symbols stay out of its dynamic symbol
///   table, which every symbol lookup of every loaded library searched first. Nothing looks them
///   up: libgd, libjpeg and libmariadb are dlopen'ed by our C and call nothing of ours.
let releaseStartupLinkFlags = ["-L", Context.packageDirectory + "/link/static-libstdc++", "-Xlinker", "--no-export-dynamic"]

let package = Package(
    name: "imgrepo",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "imgrepo", targets: ["imgrepo"]),
        .executable(name: "imgrepo-sample", targets: ["imgrepo-sample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: C system libraries (Debian -dev packages)
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libexif, libexpat and zlib linked directly: for the test fixtures and tests only.
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .systemLibrary(name: "CExpat", pkgConfig: "expat", providers: [.apt(["libexpat1-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // What imgrepo itself uses instead: the same libraries dlopen'ed on first use through one
        // loader (CLoader), so that only the commands that read EXIF, XMP or compressed PNG
        // text load them (each linked library costs every command's start-up).
        .target(name: "CLoader"),
        .target(name: "CExifLoader", dependencies: ["CLoader"]),
        .target(name: "CExpatLoader", dependencies: ["CLoader"]),
        // zlib's inflate for PNG's compressed text chunks (ImageProbe).
        .target(name: "CZlibLoader", dependencies: ["CLoader"]),
        // libcrypto is dlopen'ed by our own C (CCrypto) on first use: only hashing commands load it.
        .target(name: "CCrypto"),
        // libgd's pkg-config flags trip SwiftPM's prohibited-flag check: link it by name.
        .systemLibrary(name: "CGD", providers: [.apt(["libgd-dev"])]),
        // MariaDB Connector/C (libmariadb), dlopen'ed by our own C on first use: only a
        // catalogue on a MySQL/MariaDB server loads it (linked, it costs every command ~1.2 ms).
        .target(name: "CMariaDB"),

        // MARK: Probing and the domain
        // ImageProbe is Swift over one C library, zlib (compressed PNG text chunks); the rest is pure Swift.
        .target(name: "ImageProbe", dependencies: ["CZlibLoader"]),
        .target(name: "ImgrepoCore", dependencies: ["ImageProbe"]),
        // The one query compiler every SQL driver shares: queries to SQL text via a dialect value.
        .target(name: "ImgrepoSQL", dependencies: ["ImgrepoCore", "ImageProbe"]),

        // MARK: Wrappers and drivers, one C library each
        .target(name: "ImgrepoSHA512", dependencies: ["CCrypto", "ImgrepoCore"]),
        .target(name: "ImgrepoExif", dependencies: ["CExifLoader", "ImgrepoCore", "ImageProbe"]),
        // XMP packets parsed with libexpat (entity expansion refused).
        .target(name: "ImgrepoXMP", dependencies: ["CExpatLoader", "ImgrepoCore", "ImageProbe"]),
        .target(name: "ImgrepoSQLite", dependencies: ["CSQLite", "ImgrepoCore", "ImgrepoSQL"]),
        .target(name: "ImgrepoMySQL", dependencies: ["CMariaDB", "ImgrepoCore", "ImgrepoSQL", "ImageProbe"]),

        // Rendering of records for people and scripts: table, JSON, NDJSON, CSV, TSV.
        .target(name: "ImgrepoOutput", dependencies: ["ImgrepoCore"]),

        // Thumbnails: libjpeg-turbo scaled decoding + libgd, both dlopen'ed by CImaging on first
        // use so that commands without pixels never pay libgd's start-up (see MEASURED.md).
        // Fingerprints (issue 8) hash the canonical pixels with libcrypto through CCrypto.
        .target(name: "CImaging", dependencies: ["CCrypto"]),
        .target(name: "ImgrepoThumbnail", dependencies: ["CImaging", "ImgrepoCore", "ImageProbe"]),
        // Fixture-only JPEG encodings libgd cannot write (grayscale, CMYK, YCCK).
        .target(name: "CFixtureJPEG", linkerSettings: [.linkedLibrary("jpeg")]),

        // MARK: Executables
        // The catalogue drivers by URL scheme, for every program and test that opens one.
        .target(name: "ImgrepoCatalogues", dependencies: ["ImgrepoCore", "ImgrepoSQLite", "ImgrepoMySQL"]),
        .executableTarget(name: "imgrepo", dependencies: [
            "ImgrepoCore", "ImgrepoSHA512", "ImgrepoExif", "ImgrepoXMP", "ImgrepoSQLite", "ImgrepoMySQL", "ImgrepoCatalogues", "ImgrepoOutput", "ImgrepoThumbnail",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [.unsafeFlags(releaseStartupLinkFlags, .when(configuration: .release))]),
        .target(name: "ImgrepoFixtures", dependencies: ["CGD", "CExif", "CFixtureJPEG", "CZlib"]),
        .executableTarget(name: "imgrepo-sample", dependencies: ["ImgrepoFixtures"]),
        // Fills a catalogue (SQLite or MySQL) with synthetic images through the store API (make bench).
        .executableTarget(name: "imgrepo-synth", dependencies: ["ImgrepoCore", "ImgrepoCatalogues"]),
        // Measures the perceptual hashes on generated edits of varied pictures (docs/duplicates.md).
        .executableTarget(name: "imgrepo-simeval", dependencies: ["ImgrepoThumbnail", "ImgrepoFixtures", "ImgrepoCore", "ImageProbe"]),
        // Compares the EXIF fields upload records with exiftool's for a folder (docs/metadata.md).
        .executableTarget(name: "imgrepo-exifcheck", dependencies: ["ImgrepoExif", "ImgrepoXMP", "ImgrepoCore", "ImageProbe"]),
        // Writes the man pages from `imgrepo --experimental-dump-help` (scripts/generate-docs.sh).
        .executableTarget(name: "imgrepo-docgen"),

        // MARK: Tests (Swift Testing only)
        .testTarget(name: "ImageProbeTests", dependencies: ["ImageProbe", "CZlib", "CLoader"]),
        .testTarget(name: "ImgrepoQueryTests", dependencies: ["ImgrepoCore"]),
        .testTarget(name: "ImgrepoOutputTests", dependencies: ["ImgrepoOutput", "ImgrepoCore"]),
        .testTarget(name: "ImgrepoCoreTests", dependencies: ["ImgrepoCore", "ImgrepoSHA512", "ImgrepoExif", "ImgrepoSQLite", "ImgrepoCatalogues", "ImgrepoFixtures"]),
        .testTarget(name: "ImgrepoXMPTests", dependencies: ["ImgrepoXMP", "ImgrepoCore", "ImageProbe", "ImgrepoFixtures"]),
        .testTarget(name: "ImgrepoExifTests", dependencies: ["ImgrepoExif", "ImgrepoXMP", "ImgrepoCore", "ImgrepoFixtures"]),
        .testTarget(name: "MetadataStoreConformanceTests", dependencies: ["ImgrepoCore", "ImgrepoSQLite", "ImgrepoMySQL", "ImgrepoCatalogues"]),
        .testTarget(name: "ImgrepoSQLiteTests", dependencies: ["ImgrepoSQLite", "ImgrepoSQL", "ImgrepoCore", "CSQLite"]),
        // Imgrepo's shortcut past ArgumentParser's root-level pass, compared with the full parse.
        .testTarget(name: "CommandLineParsingTests", dependencies: ["imgrepo", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "ImgrepoCLITests", dependencies: ["ImgrepoFixtures", "ImgrepoCore", "ImgrepoSQLite", "ImgrepoMySQL", "ImageProbe"]),
        // The MySQL driver's own tests beyond the conformance suite (reconnection), against the test server.
        .testTarget(name: "ImgrepoMySQLTests", dependencies: ["ImgrepoMySQL", "ImgrepoCore"]),
        .testTarget(name: "ImgrepoThumbnailTests", dependencies: ["ImgrepoThumbnail", "ImgrepoCore", "ImgrepoFixtures", "CGD"]),
        // Pixel and perceptual hashes: canonical bytes checked with libcrypto, robustness on a small study.
        .testTarget(name: "ImgrepoFingerprintTests", dependencies: ["ImgrepoThumbnail", "ImgrepoCore", "ImgrepoFixtures", "ImgrepoSHA512", "ImageProbe", "CGD"]),
    ]
)
