# Thin wrappers over scripts/: the scripts are what README.md and CI run.
.PHONY: demo test bench fuzz torture build release install install-files uninstall docs clean

# Where `make install` puts things; DESTDIR is prepended to each (packagers stage into it).
PREFIX ?= /usr/local
DESTDIR ?=
bindir = $(PREFIX)/bin
man1dir = $(PREFIX)/share/man/man1
bashcompletiondir = $(PREFIX)/share/bash-completion/completions
zshcompletiondir = $(PREFIX)/share/zsh/site-functions
fishcompletiondir = $(PREFIX)/share/fish/vendor_completions.d
# The binary install-files copies.
IMGREPO_BIN ?= .build/release/imgrepo

build:
	scripts/install-deps.sh
	swift build -c release --static-swift-stdlib

# Only the imgrepo binary, in release mode.
release:
	scripts/install-deps.sh
	swift build -c release --static-swift-stdlib --product imgrepo

# Installing is two steps so that CI builds once: `install` makes the release binary and then
# runs `install-files`, which only copies files given a binary. The install test
# (Tests/ImgrepoCLITests/InstallTests.swift) runs `install-files` alone, with the debug binary
# the test run has already built (IMGREPO_BIN=...), instead of a release build of several
# minutes. As root, `make release` first, then `sudo make install-files`, so the build stays yours.
install: release
	$(MAKE) install-files

install-files:
	@test -x "$(IMGREPO_BIN)" || { echo "make: $(IMGREPO_BIN) is not an executable: run 'make release', or pass IMGREPO_BIN=PATH" >&2; exit 66; }
	install -d "$(DESTDIR)$(bindir)" "$(DESTDIR)$(man1dir)" "$(DESTDIR)$(bashcompletiondir)" \
		"$(DESTDIR)$(zshcompletiondir)" "$(DESTDIR)$(fishcompletiondir)"
	install -m 755 "$(IMGREPO_BIN)" "$(DESTDIR)$(bindir)/imgrepo"
	install -m 644 man/*.1 "$(DESTDIR)$(man1dir)"
	install -m 644 completions/imgrepo.bash "$(DESTDIR)$(bashcompletiondir)/imgrepo"
	install -m 644 completions/_imgrepo "$(DESTDIR)$(zshcompletiondir)/_imgrepo"
	install -m 644 completions/imgrepo.fish "$(DESTDIR)$(fishcompletiondir)/imgrepo.fish"

# Removes what install-files put in place, pages of commands since removed included.
uninstall:
	rm -f "$(DESTDIR)$(bindir)/imgrepo" "$(DESTDIR)$(man1dir)/imgrepo.1" "$(DESTDIR)$(man1dir)"/imgrepo-*.1 \
		"$(DESTDIR)$(bashcompletiondir)/imgrepo" "$(DESTDIR)$(zshcompletiondir)/_imgrepo" \
		"$(DESTDIR)$(fishcompletiondir)/imgrepo.fish"

# Regenerates man/ and completions/ (committed; CI fails when they are stale).
docs:
	scripts/generate-docs.sh

demo:
	scripts/demo.sh $(PHOTOS)

test:
	scripts/test.sh

bench:
	scripts/bench.sh

# libFuzzer over the container walkers and the libexif bridge; FUZZ_SECONDS per target (default 900).
fuzz:
	scripts/fuzz.sh all

# Hostile files, kills, overlapping writers, a full disk, bad arguments and a lost catalogue
# against the built imgrepo; TORTURE_ROUNDS per attack (default 20), TORTURE_SECONDS at most each.
torture:
	scripts/torture.sh

clean:
	rm -rf .build demo-data bench-data
