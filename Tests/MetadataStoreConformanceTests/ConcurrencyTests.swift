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
        let results = OutcomeLog()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                // Each worker opens its own store and uses it on its own thread only.
                let store = try catalogue.openStore()
                for n in 0..<images {
                    // Fixed width: digest() pads with zeros, so "71" and "710" would be one hash.
                    let seed = String(0x700 + n, radix: 16)
                    let outcome = try store.insert(sample(seed, name: "w\(worker).jpg", path: "/w\(worker)/\(n).jpg"))
                    results.append(hash: seed, outcome: outcome)
                }
            } catch {
                results.fail(error)
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
