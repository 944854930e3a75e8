import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// A small version of `imgrepo-simeval`'s study (docs/duplicates.md): five sources, one of each
/// synthetic kind, every transformation in the target, at the default distance.
@Suite("robustness at the default distance")
struct RobustnessTests {
    @Test("recall ≥ 0.95 and precision ≥ 0.99 on five sources × the target transformations")
    func smallStudy() throws {
        let sources = [
            SimilarityStudy.Source(name: "gradient", kind: "gradient", picture: .gradient(width: 320, height: 240, seed: 21)),
            SimilarityStudy.Source(name: "shapes", kind: "shapes", picture: .shapes(width: 320, height: 240, seed: 22)),
            SimilarityStudy.Source(name: "text", kind: "text", picture: .text(width: 240, height: 320, seed: 23)),
            SimilarityStudy.Source(name: "texture", kind: "texture", picture: .texture(width: 320, height: 240, seed: 24)),
            SimilarityStudy.Source(name: "photo-like", kind: "photo-like", picture: .photoLike(width: 320, height: 240, seed: 25)),
        ]
        let transformations = SimilarityStudy.Transformation.allCases.filter(\.inTarget)
        var originals: [UInt64] = [], variants: [[UInt64]] = []
        for source in sources {
            let original = SimilarityStudy.original(of: source)
            originals.append(try #require(try fingerprints(original, kinds: .perceptualHash).perceptualHash))
            variants.append(try transformations.map {
                try #require(try fingerprints(SimilarityStudy.variant($0, of: original), kinds: .perceptualHash).perceptualHash)
            })
        }
        let limit = ImageFingerprints.defaultMaxDistance
        var found = 0, falseMatches = 0, misses: [String] = []
        for s in sources.indices {
            for (t, transformation) in transformations.enumerated() {
                let distance = hammingDistance(originals[s], variants[s][t])
                if distance <= limit { found += 1 } else { misses.append("\(sources[s].name) \(transformation.rawValue): \(distance)") }
            }
            for other in sources.indices where other != s {
                if hammingDistance(originals[s], originals[other]) <= limit { falseMatches += 1 }
                falseMatches += variants[other].filter { hammingDistance(originals[s], $0) <= limit }.count
            }
        }
        let positives = sources.count * transformations.count
        let recall = Double(found) / Double(positives)
        let precision = found + falseMatches == 0 ? 1 : Double(found) / Double(found + falseMatches)
        #expect(recall >= 0.95, "recall \(recall); missed \(misses)")
        #expect(precision >= 0.99, "precision \(precision): \(falseMatches) false matches")
    }
}
