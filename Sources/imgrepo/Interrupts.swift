import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM during a batch: the first asks the batch to stop after the file in
/// hand (committed or abandoned whole), print its summary and exit 130; the handler then
/// gives the signal back its default action, so a second one ends the process at once.
/// Either way the repository stays consistent: every file is committed atomically, and an
/// abandoned temp file in tmp/ is garbage that `verify --repair` removes.
enum Interrupts {
    private static let flag = Atomic<Int32>(0)

    /// Whether a stop was asked for.
    static var requested: Bool { flag.load(ordering: .relaxed) != 0 }

    static func install() {
        // A parent may hand us these signals blocked (a blocked mask is inherited across exec):
        // unblock them, or a stop request would never arrive.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for signalNumber in [SIGINT, SIGTERM] {
            // Only async-signal-safe work here: an atomic store and signal(2).
            signal(signalNumber) { number in
                Interrupts.flag.store(1, ordering: .relaxed)
                signal(number, SIG_DFL)
            }
        }
    }

    /// Gives both signals their default action again, once the work that stops cleanly is over
    /// (a search's fingerprinting), so that what follows (printing rows) ends at the first one.
    static func restore() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
