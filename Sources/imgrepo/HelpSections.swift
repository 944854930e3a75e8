/// Sections of `imgrepo --help` that hold for every command. They are written once, here:
/// scripts/generate-docs.sh turns them into the ENVIRONMENT and FILES sections of every man
/// page, as it turns each command's "Examples:" and EXIT STATUS blocks into theirs.
///
/// The layout is what the man page generator (imgrepo-docgen) reads: a heading in capitals,
/// then one entry per line, indented two spaces, its term and its text separated by at least
/// two spaces; a line indented further continues the text of the entry above. Lines stay
/// under 80 columns, or `--help` wraps them.
enum HelpSections {
    static let environment = """
        ENVIRONMENT
          IMGREPO_REPO         The repository folder, when --repo is not given.
          IMGREPO_DATABASE     The catalogue URL, when --database is not given:
                               sqlite:PATH or mysql://USER@HOST[:PORT]/DB.
          IMGREPO_DB_PASSWORD  The password of a MySQL/MariaDB catalogue (a URL
                               holding one is refused).
          IMGREPO_OWNER        The owner upload records, when --owner is not given.
          XDG_CONFIG_HOME      Where the settings file is (default ~/.config).
          XDG_DATA_HOME        Where the default repository is (~/.local/share).
          XDG_CACHE_HOME       Where upload remembers what it imported (~/.cache).
          HOME                 The base of the defaults above.
          NO_COLOR             Any value turns colour off in tables.
          TERM                 'dumb' turns colour off in tables.
          COLUMNS              The width of tables when the terminal does not say.
          TZ                   The local time zone: of times in tables (unless
                               --tz) and of dates without an offset in --uploaded.
        """

    static let files = """
        FILES
          $XDG_CONFIG_HOME/imgrepo/config.toml
                               Settings (TOML): repo, owner, database and
                               password_file. The environment overrides them, and
                               flags override the environment.
          $XDG_DATA_HOME/imgrepo
                               The default repository (~/.local/share/imgrepo).
          REPO/config          The repository's format, id and catalogue URL.
          REPO/catalog.sqlite  The SQLite catalogue, unless config names a server.
          REPO/objects/        The original bytes: one read-only file per distinct
                               image, named by its SHA-512 (objects/ab/cdef...).
          REPO/thumbnails/     Cached thumbnails; deletable at any time.
          REPO/tmp/            Files being written; anything left here is garbage
                               that verify --repair removes.
          REPO/lock            The lock (flock) that coordinates writers.
          $XDG_CACHE_HOME/imgrepo/
                               Upload's per-machine record of the files it
                               imported, so that a rerun skips them.
        """
}
