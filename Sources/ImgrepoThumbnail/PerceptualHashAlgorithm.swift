#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The perceptual hashes measured in docs/duplicates.md: each turns a small grey image of the
/// oriented picture (luma 0–255, row by row, `gridSize`) into 64 bits. `GDFingerprinter` stores
/// `.dct`; the others exist so that `imgrepo-simeval` can measure them side by side, and their
/// values must never be stored.
///
/// Bit order: the value of grid position i (row by row) is bit 63 − i, so the hash written in
/// hex reads in the grid's order.
public enum PerceptualHashAlgorithm: String, CaseIterable, Sendable {
    /// pHash: the 32×32 image's orthonormal 2-D DCT-II; its 8×8 lowest frequencies, the first row
    /// and column included (so the DC term gives a bit that is nearly always 1); each bit says
    /// whether that coefficient is above the median of the 64.
    case dct
    /// pHash as pHash.org defines it: like `dct`, but frequencies 1–8 in both directions,
    /// leaving out the first row and column (the pure vertical and horizontal ramps) with DC.
    case dctInterior = "dct-interior"
    /// dHash: a 9×8 image; each bit says whether a pixel is brighter than its left neighbour.
    case difference

    /// The grey image's size.
    public var gridSize: (width: Int, height: Int) {
        switch self {
        case .dct, .dctInterior: (DCT.side, DCT.side)
        case .difference: (9, 8)
        }
    }

    /// The hash of `gray`, `gridSize.width`×`gridSize.height` values row by row.
    public func hash(gray: [Double]) -> UInt64 {
        precondition(gray.count == gridSize.width * gridSize.height,
                     "\(rawValue) hash needs \(gridSize.width)×\(gridSize.height) values, got \(gray.count)")
        switch self {
        case .dct: return DCT.hash(gray, first: 0)
        case .dctInterior: return DCT.hash(gray, first: 1)
        case .difference:
            var bits: UInt64 = 0
            for row in 0..<8 {
                for column in 0..<8 where gray[row * 9 + column + 1] > gray[row * 9 + column] {
                    bits |= 1 << UInt64(63 - (row * 8 + column))
                }
            }
            return bits
        }
    }
}

/// The 2-D DCT-II of a 32×32 image, as two passes of a 1-D transform over precomputed cosines.
private enum DCT {
    static let side = 32

    /// basis[u * side + x] = α(u) cos(π (2x + 1) u / 2N): the orthonormal DCT-II matrix.
    static let basis: [Double] = {
        let n = Double(side)
        return (0..<side * side).map { i in
            let u = i / side, x = i % side
            let alpha = u == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            return alpha * cos(Double.pi * Double(2 * x + 1) * Double(u) / (2 * n))
        }
    }()

    /// Bits from the 8×8 coefficients at frequencies first..<first + 8 in both directions.
    static func hash(_ gray: [Double], first: Int) -> UInt64 {
        let frequencies = first..<first + 8
        // rows[y][v]: each image row transformed, only the frequencies that are kept.
        var rows = [Double](repeating: 0, count: side * 8)
        for y in 0..<side {
            for (k, v) in frequencies.enumerated() {
                var sum = 0.0
                for x in 0..<side { sum += basis[v * side + x] * gray[y * side + x] }
                rows[y * 8 + k] = sum
            }
        }
        var coefficients = [Double](repeating: 0, count: 64)
        for (j, u) in frequencies.enumerated() {
            for k in 0..<8 {
                var sum = 0.0
                for y in 0..<side { sum += basis[u * side + y] * rows[y * 8 + k] }
                coefficients[j * 8 + k] = sum
            }
        }
        let sorted = coefficients.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        var bits: UInt64 = 0
        for (i, c) in coefficients.enumerated() where c > median { bits |= 1 << UInt64(63 - i) }
        return bits
    }
}
