import CCrypto
import ImgrepoCore

/// Streaming SHA-512 over OpenSSL's libcrypto EVP interface.
///
/// libcrypto is the fastest SHA-512 on these machines (741 MiB/s against swift-crypto's 550
/// and sha512sum's 510, see docs/benchmarks.md), and hashing is the ingest hot path.
/// One instance owns one `EVP_MD_CTX` and frees it in `deinit`.
public final class SHA512Hasher: ContentHasher {
    private let context: OpaquePointer

    /// Starts a new digest. Traps only if libcrypto cannot allocate a context or lacks SHA-512,
    /// which no working OpenSSL 3 installation does.
    public init() {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("libcrypto: EVP_MD_CTX_new failed") }
        guard EVP_DigestInit_ex(ctx, EVP_sha512(), nil) == 1 else { fatalError("libcrypto: EVP_DigestInit_ex(sha512) failed") }
        context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        // EVP_DigestUpdate only fails on a misused context; ours is always initialised.
        _ = EVP_DigestUpdate(context, base, bytes.count)
    }

    public func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        _ = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        return hexString(digest)
    }

    /// libcrypto's version text, e.g. "OpenSSL 3.0.17 1 Jul 2025".
    public static var libraryVersion: String { String(cString: OpenSSL_version(Int32(OPENSSL_VERSION))) }
}
