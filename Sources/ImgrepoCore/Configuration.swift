#if canImport(Glibc)
import Glibc
#endif

/// The user's settings file, `$XDG_CONFIG_HOME/imgrepo/config.toml`
/// (`~/.config/imgrepo/config.toml` when XDG_CONFIG_HOME is unset).
///
/// ```toml
/// repo = "/srv/photos"           # repository folder
/// owner = "alice"                # default owner of uploads
/// database = "sqlite:catalog.sqlite"
/// password_file = "~/.config/imgrepo/db-password"   # MySQL/MariaDB password, mode 600
/// ```
/// Unknown keys are refused, so that a typo does not silently fall back to a default.
public struct UserConfiguration: Equatable, Sendable {
    public var repo: String?
    public var owner: String?
    public var database: String?
    /// A file holding the MySQL/MariaDB password on its first line, used when
    /// `IMGREPO_DB_PASSWORD` is unset (`DatabasePassword`).
    public var passwordFile: String?
    /// The file it was read from, when one exists.
    public var path: String?

    public init(repo: String? = nil, owner: String? = nil, database: String? = nil, passwordFile: String? = nil,
                path: String? = nil) {
        self.repo = repo; self.owner = owner; self.database = database; self.passwordFile = passwordFile; self.path = path
    }

    static let knownKeys: Set<String> = ["repo", "owner", "database", "password_file"]

    /// Where the settings file is looked for in `environment`.
    public static func path(in environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/imgrepo/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/imgrepo/config.toml" }
        return nil
    }

    /// Reads the settings file; a missing file gives empty settings.
    /// - Throws: `ImgrepoError.configuration` naming the file, for unreadable or malformed TOML,
    ///   an unknown key, or a value of the wrong type.
    public static func load(environment: [String: String]) throws -> UserConfiguration {
        guard let path = path(in: environment), let text = try readTextFile(path) else { return UserConfiguration() }
        let table = try parseTOML(text, path: path)
        for (key, _) in table where !knownKeys.contains(key) {
            throw ImgrepoError.configuration(path: path, reason: "unknown key '\(key)'; known keys: \(knownKeys.sorted().joined(separator: ", "))")
        }
        return UserConfiguration(repo: try string(table, "repo", path), owner: try string(table, "owner", path),
                                 database: try string(table, "database", path),
                                 passwordFile: try string(table, "password_file", path), path: path)
    }
}

/// The password of a MySQL/MariaDB catalogue, which never travels in a URL, argv or config
/// value: `IMGREPO_DB_PASSWORD`, else the first line of the settings file's `password_file`.
public enum DatabasePassword {
    public static let variable = "IMGREPO_DB_PASSWORD"

    /// The password, or nil when neither source gives one (the server may not want one).
    ///
    /// - Throws: `ImgrepoError.configuration` naming the password file when it is missing,
    ///   unreadable, or readable by group or others (the message says to `chmod 600` it). No
    ///   message ever holds the password.
    public static func resolve(environment: [String: String], configuration: UserConfiguration) throws -> String? {
        if let password = environment[variable], !password.isEmpty { return password }
        guard let file = configuration.passwordFile, !file.isEmpty else { return nil }
        let path = Locator.expandTilde(file, environment)
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw ImgrepoError.configuration(path: path, reason: "password_file: \(POSIX.errorText())")
        }
        // Like ssh with a private key: a secret others can read is refused, not used.
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw ImgrepoError.configuration(
                path: path, reason: "password_file is readable by group or others (mode \(String(mode, radix: 8))); run 'chmod 600 \(path)'")
        }
        guard let text = try readTextFile(path) else {
            throw ImgrepoError.configuration(path: path, reason: "password_file: no such file")
        }
        var line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if line.hasSuffix("\r") { line.removeLast() }
        return line.isEmpty ? nil : line
    }
}

/// Where things are, decided by flag > environment > settings file > default.
public enum Locator {
    /// The repository folder, made absolute.
    public static func repositoryPath(flag: String?, environment: [String: String], configuration: UserConfiguration) -> String {
        if let flag, !flag.isEmpty { return POSIX.absolute(flag) }
        if let env = environment["IMGREPO_REPO"], !env.isEmpty { return POSIX.absolute(env) }
        if let repo = configuration.repo, !repo.isEmpty { return POSIX.absolute(expandTilde(repo, environment)) }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return POSIX.absolute(xdg + "/imgrepo") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? homeFromPasswd() ?? "."
        return POSIX.absolute(home + "/.local/share/imgrepo")
    }

    /// The catalogue URL override, when one is given; nil means the repository's own.
    public static func databaseOverride(flag: String?, environment: [String: String], configuration: UserConfiguration) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment["IMGREPO_DATABASE"], !env.isEmpty { return env }
        if let db = configuration.database, !db.isEmpty { return db }
        return nil
    }

    /// The owner recorded for uploads: flag > IMGREPO_OWNER > settings file > login name.
    public static func owner(flag: String?, environment: [String: String], configuration: UserConfiguration) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment["IMGREPO_OWNER"], !env.isEmpty { return env }
        if let owner = configuration.owner, !owner.isEmpty { return owner }
        return loginName(environment)
    }

    /// The login name: the password database's entry for the effective user, which is right
    /// under cron and sudo -u, where `getlogin()` has no terminal to ask; then LOGNAME/USER.
    static func loginName(_ environment: [String: String]) -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name {
            let s = String(cString: name)
            if !s.isEmpty { return s }
        }
        return environment["LOGNAME"] ?? environment["USER"] ?? "uid-\(geteuid())"
    }

    static func homeFromPasswd() -> String? {
        guard let pw = getpwuid(geteuid()), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }

    static func expandTilde(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"] ?? homeFromPasswd() ?? ""
        return home + path.dropFirst()
    }
}

/// The repository's own `config` file (docs/repository-format.md).
public struct RepositoryConfiguration: Equatable, Sendable {
    /// The only repository format this imgrepo reads and writes.
    public static let currentFormat = 1

    public var format: Int
    public var id: String
    public var created: Timestamp
    /// The catalogue URL, `sqlite:catalog.sqlite` by default.
    public var database: String

    public init(format: Int = RepositoryConfiguration.currentFormat, id: String, created: Timestamp, database: String) {
        self.format = format; self.id = id; self.created = created; self.database = database
    }

    /// The file's text.
    public var toml: String {
        """
        # imgrepo repository; see docs/repository-format.md
        format = \(format)
        id = "\(id)"
        created = "\(created.iso8601)"
        database = "\(tomlEscape(database))"

        """
    }

    /// Parses the repository's `config`.
    /// - Throws: `repositoryUnavailable` for a missing, malformed or newer-format file.
    public static func parse(_ text: String, path: String, repository: String) throws -> RepositoryConfiguration {
        let table: [String: FlatTOML.Value]
        do {
            table = Dictionary(try FlatTOML.parse(text).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        } catch let e as FlatTOML.SyntaxError {
            throw ImgrepoError.repositoryUnavailable(path: repository, reason: "\(path): \(e)")
        }
        guard let format = table["format"]?.integer else {
            throw ImgrepoError.repositoryUnavailable(path: repository, reason: "\(path) has no format number")
        }
        guard format == currentFormat else {
            throw ImgrepoError.repositoryUnavailable(path: repository, reason: "repository format \(format) is not supported by this imgrepo (format \(currentFormat))")
        }
        let created = table["created"]?.string.flatMap { Timestamp(iso8601: $0) } ?? Timestamp(microseconds: 0)
        return RepositoryConfiguration(format: format, id: table["id"]?.string ?? "", created: created,
                                       database: table["database"]?.string ?? "sqlite:catalog.sqlite")
    }
}

/// The whole file as UTF-8 text, or nil when it does not exist.
/// - Throws: `configuration` naming `path` when it cannot be read or is not a regular file
///   (a FIFO is refused at once rather than waited on).
func readTextFile(_ path: String) throws -> String? {
    let fd = POSIX.openRegularFile(path)
    if fd < 0 {
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw ImgrepoError.configuration(path: path, reason: POSIX.errorText())
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw ImgrepoError.configuration(path: path, reason: POSIX.errorText()) }
    guard (st.st_mode & S_IFMT) == S_IFREG else {
        throw ImgrepoError.configuration(path: path, reason: "not a regular file (\(POSIX.fileTypeName(st.st_mode)))")
    }
    _ = POSIX.blocking(fd)
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while true {
        let n = buffer.withUnsafeMutableBytes { POSIX.read(fd, $0.baseAddress!, $0.count) }
        if n < 0 { throw ImgrepoError.configuration(path: path, reason: POSIX.errorText()) }
        if n == 0 { break }
        bytes += buffer[0..<n]
        if bytes.count > 1 << 20 { throw ImgrepoError.configuration(path: path, reason: "larger than 1 MiB") }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func parseTOML(_ text: String, path: String) throws -> [(key: String, value: FlatTOML.Value)] {
    do { return try FlatTOML.parse(text) } catch let e as FlatTOML.SyntaxError {
        throw ImgrepoError.configuration(path: path, reason: "\(e)")
    }
}

private func string(_ table: [(key: String, value: FlatTOML.Value)], _ key: String, _ path: String) throws -> String? {
    guard let value = table.first(where: { $0.key == key })?.value else { return nil }
    guard let s = value.string else {
        throw ImgrepoError.configuration(path: path, reason: "'\(key)' must be a string, not \(value.typeName)")
    }
    return s
}

/// `text` escaped for a TOML basic string.
func tomlEscape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}
