import ArgumentParser
import ImgrepoCore
#if canImport(Glibc)
import Glibc
#endif

/// Before a search by likeness (`similar`, `duplicates --by pixels|similar`, `list
/// --similar-to`): computes the fingerprints of `kinds` that images lack and stores them, as
/// `imgrepo index` would (progress on a terminal), so that a fresh repository answers instead of
/// asking for `index` first. Images that cannot be fingerprinted are each a warning and stay out
/// of the search; in a read-only repository nothing is computed and one line says how many
/// images the search cannot see. SIGINT or SIGTERM stops it with 130, keeping what was stored.
func fillMissingFingerprints(of repository: Repository, kinds: FingerprintKinds) throws {
    let what = kinds == .pixelHash ? "pixel hash" : "perceptual hash"
    let meter = ProgressLine(forced: nil)
    Console.progress = meter
    defer { meter?.clear(); Console.progress = nil }
    Interrupts.install()
    defer { Interrupts.restore() }
    let workers = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    let fill = try repository.fillMissingFingerprints(kinds: kinds, workers: workers, shouldStop: { Interrupts.requested }) { done in
        meter?.draw("computing the \(what) of the images that lack one: \(done) done")
    }
    meter?.clear()
    for failure in fill.failures { Console.error("warning: \(failure.error.description); left out of the search") }
    if fill.indexed > 0 {
        Console.error("computed the \(what) of \(fill.indexed) image\(fill.indexed == 1 ? "" : "s") (kept for the next search)")
    }
    if fill.lacking > 0 {
        Console.error("\(fill.lacking) image\(fill.lacking == 1 ? " has" : "s have") no \(what) and the repository is read-only: "
                      + "answered from the others")
    }
    if fill.interrupted {
        Console.error("interrupted; the hashes computed so far are kept")
        Console.flush()
        throw ExitCode(ExitStatus.interrupted.rawValue)
    }
}
