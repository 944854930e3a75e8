internal import CExpatLoader
import ImageProbe

/// libexpat, loaded on first use (CExpatLoader), so that commands that never read XMP never
/// load it.
enum Expat {
    static let library = LoadedLibrary(soname: "libexpat.so.1") { imgrepo_expat_load($0) }
}
