import ImgrepoCore

/// Where a MySQL/MariaDB catalogue lives: `mysql://USER@HOST[:PORT]/DB`,
/// `mariadb://USER@HOST[:PORT]/DB`, or `mysql://USER@localhost/DB?socket=/path.sock`.
///
/// The password is never part of a location: it comes from `IMGREPO_DB_PASSWORD`, so that it
/// appears in no argv, error message or log. A URL holding one (`USER:PASSWORD@`) is refused.
public struct MySQLLocation: Hashable, Sendable, CustomStringConvertible {
    public var user: String
    /// The server's host name or address; `localhost` means the local socket, as in every
    /// MySQL client, unless a port is given with `127.0.0.1`.
    public var host: String
    public var port: Int?
    /// The database (schema) holding the catalogue's tables.
    public var database: String
    /// A Unix socket to connect through instead of TCP.
    public var socketPath: String?

    /// The port MySQL and MariaDB listen on unless told otherwise.
    public static let defaultPort = 3306

    public init(user: String, host: String, port: Int? = nil, database: String, socketPath: String? = nil) {
        self.user = user; self.host = host; self.port = port; self.database = database; self.socketPath = socketPath
    }

    /// `host:port/db`, or `socket/db`: what error messages name. Never holds the password.
    public var description: String {
        if let socketPath { return "\(socketPath)/\(database)" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(shownHost):\(port ?? Self.defaultPort)/\(database)"
    }

    /// Parses a `mysql://` or `mariadb://` URL.
    ///
    /// - Throws: `ImgrepoError.invalidArgument` for another scheme, a missing user, host or
    ///   database, a bad port, an unknown parameter, or a password in the URL (the message
    ///   shows the URL with the password masked and says where a password goes instead).
    public init(url: String) throws {
        func refuse(_ reason: String, shown: String = url) -> ImgrepoError {
            .invalidArgument(value: shown, reason: reason)
        }
        let usage = "expected mysql://USER@HOST[:PORT]/DB or mysql://USER@localhost/DB?socket=/path.sock"
        guard let schemeEnd = url.firstRange(of: "://") else { throw refuse("not a MySQL URL (\(usage))") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "mysql" || scheme == "mariadb" else { throw refuse("not a MySQL URL (\(usage))") }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let at = rest.lastIndex(of: "@") else { throw refuse("no user name (\(usage))") }
        let userInfo = rest[..<at]
        if let colon = userInfo.firstIndex(of: ":") {
            // Mask the password before it can reach a message.
            let masked = url.replacing(String(userInfo), with: String(userInfo[..<colon]) + ":***")
            throw refuse("a password does not belong in the database URL; set IMGREPO_DB_PASSWORD instead", shown: masked)
        }
        guard let user = Self.percentDecoded(userInfo), !user.isEmpty else { throw refuse("no user name (\(usage))") }
        let hostAndPath = rest[rest.index(after: at)...]
        guard let slash = hostAndPath.firstIndex(of: "/") else { throw refuse("no database name (\(usage))") }
        guard let database = Self.percentDecoded(hostAndPath[hostAndPath.index(after: slash)...]), !database.isEmpty,
              !database.contains("/") else {
            throw refuse("no database name (\(usage))")
        }
        var hostPart = hostAndPath[..<slash]
        var port: Int?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw refuse("unterminated IPv6 address") }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()); if port == nil { throw refuse("bad port") } }
            else if !after.isEmpty { throw refuse("bad host") }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            guard let number = Int(hostPart[hostPart.index(after: colon)...]) else { throw refuse("bad port") }
            port = number
            hostPart = hostPart[..<colon]
        }
        if let port, !(1...65_535).contains(port) { throw refuse("port \(port) is out of range") }
        guard !hostPart.isEmpty else { throw refuse("no host (\(usage))") }
        var socketPath: String?
        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0] == "socket", let value = Self.percentDecoded(pair[1]), value.hasPrefix("/") else {
                throw refuse("unknown parameter '\(pair[0])' (known: socket=/absolute/path.sock)")
            }
            socketPath = value
        }
        self.init(user: user, host: String(hostPart), port: port, database: database, socketPath: socketPath)
    }

    /// `%XX` escapes decoded; nil when an escape is malformed or the bytes are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
