import ImgrepoCore
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMicroseconds() {
        #expect(Timestamp(microseconds: 0).iso8601 == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp(microseconds: 1_700_000_000_123_456).iso8601 == "2023-11-14T22:13:20.123456Z")
        #expect(Timestamp(microseconds: -1).iso8601 == "1969-12-31T23:59:59.999999Z")
        #expect(Timestamp(microseconds: 951_782_400_000_000).iso8601 == "2000-02-29T00:00:00.000000Z")
    }

    @Test func parsesWhatItFormats() {
        for micros: Int64 in [0, 1, -1, 1_700_000_000_123_456, 4_102_444_799_999_999, -2_208_988_800_000_000] {
            let t = Timestamp(microseconds: micros)
            #expect(Timestamp(iso8601: t.iso8601) == t)
        }
    }

    @Test func parsesOffsetsAndPartialForms() {
        #expect(Timestamp(iso8601: "2023-06-01T12:34:56+02:00")?.iso8601 == "2023-06-01T10:34:56.000000Z")
        #expect(Timestamp(iso8601: "2023-06-01T12:34:56.5-05:30")?.iso8601 == "2023-06-01T18:04:56.500000Z")
        #expect(Timestamp(iso8601: "2023-06-01")?.iso8601 == "2023-06-01T00:00:00.000000Z")
        #expect(Timestamp(iso8601: "2023-06-01T12:34")?.iso8601 == "2023-06-01T12:34:00.000000Z")
        for bad in ["", "2023", "2023-13-01", "2023-06-01T25:00", "2023-06-01T12:34:56+2", "2023-06-01X", "garbage"] {
            #expect(Timestamp(iso8601: bad) == nil, "\(bad)")
        }
    }

    @Test func takenUTCNeedsAnOffset() {
        var s = ExifSummary()
        s.takenLocal = "2023-06-01T12:34:56.123"
        #expect(s.takenUTC == nil)
        s.takenOffset = "+02:00"
        #expect(s.takenUTC?.iso8601 == "2023-06-01T10:34:56.123000Z")
    }
}

@Suite struct LocatorTests {
    let config = UserConfiguration(repo: "/from/config", owner: "cfg-owner", database: "sqlite:/from/config.sqlite")

    @Test func repositoryPrecedence() {
        let env = ["IMGREPO_REPO": "/from/env", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"]
        #expect(Locator.repositoryPath(flag: "/from/flag", environment: env, configuration: config) == "/from/flag")
        #expect(Locator.repositoryPath(flag: nil, environment: env, configuration: config) == "/from/env")
        #expect(Locator.repositoryPath(flag: nil, environment: ["XDG_DATA_HOME": "/xdg"], configuration: config) == "/from/config")
        #expect(Locator.repositoryPath(flag: nil, environment: ["XDG_DATA_HOME": "/xdg"], configuration: UserConfiguration()) == "/xdg/imgrepo")
        #expect(Locator.repositoryPath(flag: nil, environment: ["HOME": "/home/u"], configuration: UserConfiguration()) == "/home/u/.local/share/imgrepo")
        #expect(Locator.repositoryPath(flag: nil, environment: ["HOME": "/home/u"], configuration: UserConfiguration(repo: "~/photos")) == "/home/u/photos")
    }

    @Test func ownerAndDatabasePrecedence() {
        #expect(Locator.owner(flag: "f", environment: ["IMGREPO_OWNER": "e"], configuration: config) == "f")
        #expect(Locator.owner(flag: nil, environment: ["IMGREPO_OWNER": "e"], configuration: config) == "e")
        #expect(Locator.owner(flag: nil, environment: [:], configuration: config) == "cfg-owner")
        #expect(!Locator.owner(flag: nil, environment: [:], configuration: UserConfiguration()).isEmpty)
        #expect(Locator.databaseOverride(flag: nil, environment: ["IMGREPO_DATABASE": "sqlite:/e"], configuration: config) == "sqlite:/e")
        #expect(Locator.databaseOverride(flag: nil, environment: [:], configuration: config) == "sqlite:/from/config.sqlite")
        #expect(Locator.databaseOverride(flag: nil, environment: [:], configuration: UserConfiguration()) == nil)
    }

    @Test func repositoryConfigurationRoundTrips() throws {
        let c = RepositoryConfiguration(id: "abc", created: Timestamp(microseconds: 42), database: "sqlite:with \"quotes\" and \\ slash")
        let parsed = try RepositoryConfiguration.parse(c.toml, path: "config", repository: "/r")
        #expect(parsed == c)
        #expect(throws: ImgrepoError.self) { try RepositoryConfiguration.parse("format = 2\n", path: "config", repository: "/r") }
        #expect(throws: ImgrepoError.self) { try RepositoryConfiguration.parse("not toml [", path: "config", repository: "/r") }
    }
}
