import Foundation
import ImgrepoCore
import ImgrepoSQLite

/// Every `MetadataStore` driver the suite runs against. A new driver is one case here plus its
/// branch in `openStore(at:)`; every test takes `Driver.allCases` as its arguments.
enum Driver: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite

    var description: String { rawValue }

    /// A fresh, empty catalogue in its own temporary folder.
    func makeCatalogue() throws -> TestCatalogue {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("imgrepo-conformance-\(rawValue)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return TestCatalogue(driver: self, folder: folder)
    }

    /// A store on a fresh catalogue, and the function that removes the catalogue.
    func makeStore() throws -> (store: any MetadataStore, cleanup: @Sendable () -> Void) {
        let catalogue = try makeCatalogue()
        do {
            return (try catalogue.openStore(), catalogue.remove)
        } catch {
            catalogue.remove()
            throw error
        }
    }

    /// Opens a store on the catalogue at `location`; several stores may share one location, as
    /// several processes would.
    fileprivate func openStore(at folder: URL) throws -> any MetadataStore {
        switch self {
        case .sqlite:
            try SQLiteMetadataStore(path: folder.appendingPathComponent("catalogue.sqlite").path)
        }
    }
}

/// One catalogue that tests may open several stores on.
struct TestCatalogue: Sendable {
    let driver: Driver
    let folder: URL

    func openStore() throws -> any MetadataStore {
        try driver.openStore(at: folder)
    }

    @Sendable func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Runs `body` with a store on a fresh catalogue, removing the catalogue afterwards.
func withStore<T>(_ driver: Driver, _ body: (any MetadataStore) throws -> T) throws -> T {
    let (store, cleanup) = try driver.makeStore()
    defer { cleanup() }
    return try body(store)
}
