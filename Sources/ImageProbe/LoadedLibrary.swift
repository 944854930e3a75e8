/// A C library's function table, loaded on first use by one of our C loaders (CExifLoader,
/// CExpatLoader, CZlibLoader: `imgrepo_NAME_load`, see Sources/CLoader), so that commands that
/// never call the library never load it.
///
/// Keep one in a `static let`: Swift initialises it once, thread-safely, on first use.
package struct LoadedLibrary<Table>: @unchecked Sendable {
    /// The functions; nil when the library cannot be loaded.
    package let functions: Table?
    /// Why it cannot be loaded, naming the package to install; nil when loaded.
    package let problem: String?

    /// Calls `load` (a C loader's `imgrepo_NAME_load`) now.
    package init(soname: String, load: (UnsafeMutablePointer<UnsafePointer<CChar>?>) -> UnsafePointer<Table>?) {
        var message: UnsafePointer<CChar>?
        if let table = load(&message) {
            functions = table.pointee
            problem = nil
        } else {
            functions = nil
            problem = message.map { String(cString: $0) } ?? "\(soname) cannot be loaded"
        }
    }
}
