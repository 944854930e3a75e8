import CLoader
import Glibc
@testable import ImageProbe
import Testing

/// CLoader: the dlopen-on-first-use behind CExifLoader, CExpatLoader and CZlibLoader.
@Suite("C libraries loaded on first use")
struct LibraryLoaderTests {
    /// Loads `soname` resolving `names` into a table of that many pointers; the problem and
    /// the table.
    private func load(_ soname: String, package: String, names: [String]) -> (problem: String?, table: [UnsafeRawPointer?]) {
        let cNames = names.map { strdup($0) }
        defer { cNames.forEach { free($0) } }
        let soCopy = strdup(soname), packageCopy = strdup(package)
        defer { free(soCopy); free(packageCopy) }
        var table = [UnsafeRawPointer?](repeating: nil, count: names.count)
        let problem: String? = cNames.map { UnsafePointer($0) }.withUnsafeBufferPointer { nameList in
            table.withUnsafeMutableBytes { tableBytes in
                var library = imgrepo_library()
                library.soname = UnsafePointer(soCopy)
                library.package = UnsafePointer(packageCopy)
                library.names = nameList.baseAddress
                library.count = names.count
                library.table = tableBytes.baseAddress
                // Twice: the second call returns the first outcome without trying again.
                let first = imgrepo_library_load(&library).map { String(cString: $0) }
                let second = imgrepo_library_load(&library).map { String(cString: $0) }
                #expect(first == second)
                return first
            }
        }
        return (problem, table)
    }

    @Test("a library that is present: every function resolved, in order")
    func present() {
        let (problem, table) = load("libz.so.1", package: "zlib1g", names: ["inflate", "inflateEnd"])
        #expect(problem == nil)
        #expect(table.allSatisfy { $0 != nil })
        #expect(table[0] != table[1])
    }

    @Test("a library that is missing: the soname, the package to install and dlopen's reason")
    func missing() {
        let (problem, _) = load("libimgrepo-absent.so.7", package: "imgrepo-absent7", names: ["f"])
        #expect(problem?.hasPrefix("libimgrepo-absent.so.7 cannot be loaded: install imgrepo-absent7 (") == true)
    }

    @Test("a function the library lacks is named")
    func lacking() {
        let (problem, _) = load("libz.so.1", package: "zlib1g", names: ["inflate", "imgrepo_no_such_function"])
        #expect(problem == "libz.so.1 lacks imgrepo_no_such_function: install a newer zlib1g")
    }

    @Test("zlib through CZlibLoader is ready once asked for")
    func zlibLoader() {
        #expect(ZlibInflate.library.problem == nil)
        #expect(ZlibInflate.library.functions != nil)
    }
}
