import Foundation
import ImgrepoCore
import Testing

/// Several stores on one catalogue, as several processes would hold.
@Suite struct ConcurrencyTests {
    @Test(arguments: Driver.allCases)
    func aSecondStoreSeesTheFirstStoresImageAsADuplicate(driver: Driver) throws {
        let catalogue = try driver.makeCatalogue()
        defer { catalogue.remove() }
        let first = try catalogue.openStore()
        let second = try catalogue.openStore()

        let id = try first.store(sample("71", name: "one.jpg", path: "/one.jpg"))
        #expect(try second.insert(sample("71", name: "two.jpg", path: "/two.jpg")) == .duplicate(id: id))
        #expect(try first.knownNames(imageID: id).map(\.name) == ["one.jpg", "two.jpg"])
        #expect(try second.count() == 1)
        // Deletion through one is seen through the other.
        #expect(try second.delete(id: id) != nil)
        #expect(try first.contains(sha512: digest("71")) == false)
    }

    @Test(arguments: Driver.allCases)
    func storesRacingOnTheSameHashesStoreEachOnce(driver: Driver) throws {
        let catalogue = try driver.makeCatalogue()
        defer { catalogue.remove() }
        // Create the schema first so the race is about inserts, not about the first open.
        _ = try catalogue.openStore()

        let workers = 3, images = 40
        let results = race(on: catalogue, workers: workers) { store, worker, results in
            for n in 0..<images {
                // Fixed width: digest() pads with zeros, so "71" and "710" would be one hash.
                let seed = String(0x700 + n, radix: 16)
                let outcome = try store.insert(sample(seed, name: "w\(worker).jpg", path: "/w\(worker)/\(n).jpg"))
                results.append(hash: seed, outcome: outcome)
            }
        }

        #expect(results.errors.isEmpty, "\(results.errors)")
        let store = try catalogue.openStore()
        #expect(try store.count() == images)
        for (seed, outcomes) in results.outcomes {
            let stored = outcomes.filter { if case .stored = $0 { true } else { false } }
            #expect(stored.count == 1, "hash \(seed): \(outcomes)")
            #expect(Set(outcomes.map(\.id)).count == 1, "hash \(seed): \(outcomes)")
            #expect(outcomes.count == workers)
            let id = try #require(outcomes.first?.id)
            #expect(try store.knownNames(imageID: id).count == workers)
        }
    }

    @Test("stores racing on the same pixels under other bytes store each picture once (--dedup pixels)", arguments: Driver.allCases)
    func storesRacingOnTheSamePixelsStoreEachOnce(driver: Driver) throws {
        let catalogue = try driver.makeCatalogue()
        defer { catalogue.remove() }
        _ = try catalogue.openStore()

        let workers = 3, pictures = 30
        let results = race(on: catalogue, workers: workers) { store, worker, results in
            for n in 0..<pictures {
                // Every worker has its own bytes (an own SHA-512) for each picture's pixels.
                let pixels = String(0x500 + n, radix: 16)
                let bytes = String(0x10000 + worker * 0x1000 + n, radix: 16)
                let image = FingerprintTests.fingerprinted(bytes, pixels: pixels, phash: UInt64(n), name: "w\(worker)-\(n).jpg",
                                                           dedup: true)
                results.append(hash: pixels, outcome: try store.insert(image))
            }
        }

        #expect(results.errors.isEmpty, "\(results.errors)")
        let store = try catalogue.openStore()
        #expect(try store.count() == pictures)
        for (pixels, outcomes) in results.outcomes {
            let stored = outcomes.filter { if case .stored = $0 { true } else { false } }
            #expect(stored.count == 1, "pixels \(pixels): \(outcomes)")
            #expect(Set(outcomes.map(\.id)).count == 1, "pixels \(pixels): \(outcomes)")
            #expect(outcomes.count == workers)
        }
    }
}

/// Runs `body` on `workers` threads at once, each with its own store on `catalogue` (as
/// several processes would have), and gathers what they log; an error thrown is logged too.
func race(on catalogue: TestCatalogue, workers: Int,
          _ body: @escaping @Sendable (any MetadataStore, Int, OutcomeLog) throws -> Void) -> OutcomeLog {
    let results = OutcomeLog()
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        do {
            try body(try catalogue.openStore(), worker, results)
        } catch {
            results.fail(error)
        }
    }
    return results
}

/// Outcomes gathered from several threads.
final class OutcomeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var byHash: [String: [InsertOutcome]] = [:]
    private var failures: [String] = []

    func append(hash: String, outcome: InsertOutcome) {
        lock.withLock { byHash[hash, default: []].append(outcome) }
    }

    func fail(_ error: Error) {
        lock.withLock { failures.append("\(error)") }
    }

    var outcomes: [String: [InsertOutcome]] { lock.withLock { byHash } }
    var errors: [String] { lock.withLock { failures } }
}
