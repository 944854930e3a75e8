import CCrypto
import ImgrepoCore

/// Streaming SHA-512 over OpenSSL's libcrypto EVP interface.
///
/// libcrypto is the fastest SHA-512 on these machines (741 MiB/s against swift-crypto's 550
/// and sha512sum's 510, see docs/benchmarks.md), and hashing is the ingest hot path. It is
/// loaded on first use (`CCrypto`), so commands that never hash do not pay for loading it.
/// One instance owns one `EVP_MD_CTX` and frees it in `deinit`.
public final class SHA512Hasher: ContentHasher {
    private let context: UnsafeMutableRawPointer

    /// Starts a new digest. Traps with the reason when libcrypto cannot be loaded (it is a
    /// dependency of the package, like libsqlite3) or cannot allocate a context.
    public init() {
        guard let context = imgrepo_sha512_new() else {
            fatalError(imgrepo_crypto_problem().map { String(cString: $0) } ?? "libcrypto: cannot start a SHA-512 digest")
        }
        self.context = context
    }

    deinit { imgrepo_sha512_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        // EVP_DigestUpdate only fails on a misused context; ours is always initialised.
        _ = imgrepo_sha512_update(context, base, bytes.count)
    }

    public func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 64)
        _ = digest.withUnsafeMutableBufferPointer { imgrepo_sha512_final(context, $0.baseAddress) }
        return hexString(digest)
    }

    /// libcrypto's version text, e.g. "OpenSSL 3.0.17 1 Jul 2025", or why it cannot be loaded.
    public static var libraryVersion: String {
        imgrepo_crypto_version().map { String(cString: $0) } ?? imgrepo_crypto_problem().map { String(cString: $0) } ?? "unavailable"
    }

    /// Nil when libcrypto can be loaded, else what is missing.
    public static var libraryProblem: String? { imgrepo_crypto_problem().map { String(cString: $0) } }
}
