internal import CExifLoader
import ImageProbe

/// libexif, loaded on first use (CExifLoader), so that commands that never read EXIF (list,
/// details, get, stats, thumbnail hits) never load it.
enum Libexif {
    static let library = LoadedLibrary(soname: "libexif.so.12") { imgrepo_exif_load($0) }
}
