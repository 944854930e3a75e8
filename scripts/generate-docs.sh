#!/usr/bin/env bash
# Regenerates the man pages (man/), the shell completions (completions/) and README.md's exit
# status table from the argument parser's own definitions: imgrepo --experimental-dump-help
# through imgrepo-docgen, imgrepo --generate-completion-script, and the EXIT STATUS table of
# imgrepo --help (ExitStatus.swift). All are committed; scripts/test.sh regenerates them and
# fails when they differ from what is committed. Every page carries the date of the current
# version's CHANGELOG.md entry, never today's, so the output depends on the sources only.
#   scripts/generate-docs.sh                 builds imgrepo and imgrepo-docgen (debug) first
#   scripts/generate-docs.sh BIN_DIR         uses the binaries already built in BIN_DIR
#   scripts/generate-docs.sh BIN_DIR OUT     writes OUT/man, OUT/completions, OUT/README.md instead
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

if [ $# -ge 1 ]; then
  bin=$1
else
  swift build --product imgrepo >&2
  swift build --product imgrepo-docgen >&2
  bin=$(swift build --show-bin-path)
fi
out=${2:-.}
for tool in imgrepo imgrepo-docgen; do
  [ -x "$bin/$tool" ] || { echo "generate-docs.sh: $bin/$tool is missing: build it first (swift build)" >&2; exit 66; }
done

version=$("$bin/imgrepo" --version)
# "## 0.1.0 — 2026-11-24": the date after the version's heading.
date=$(awk -v heading="## $version — " 'index($0, heading) == 1 { print substr($0, length(heading) + 1, 10); exit }' CHANGELOG.md)
if ! [[ "$date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "generate-docs.sh: CHANGELOG.md has no '## $version — YYYY-MM-DD' heading to date the pages" >&2
  exit 65
fi

# Pages of commands that no longer exist must go too.
mkdir -p "$out/man" "$out/completions"
rm -f "$out"/man/*.1
"$bin/imgrepo" --experimental-dump-help | "$bin/imgrepo-docgen" --out "$out/man" --date "$date" --version "$version"
"$bin/imgrepo" --generate-completion-script bash > "$out/completions/imgrepo.bash"
"$bin/imgrepo" --generate-completion-script zsh > "$out/completions/_imgrepo"
"$bin/imgrepo" --generate-completion-script fish > "$out/completions/imgrepo.fish"

# README.md's exit status table, between its two marker lines, from `imgrepo --help`.
table=$(mktemp)
readme=$(mktemp)
trap 'rm -f "$table" "$readme"' EXIT
"$bin/imgrepo" --help | awk '
  $0 == "EXIT STATUS" { inside = 1; next }
  inside && /^  [0-9]/ { code = $1; sub(/^ *[0-9]+ +/, ""); printf "| %s | %s |\n", code, $0; next }
  inside { inside = 0 }' > "$table"
[ -s "$table" ] || { echo "generate-docs.sh: imgrepo --help has no EXIT STATUS table" >&2; exit 65; }
grep -qx '<!-- exit-status:begin -->' README.md && grep -qx '<!-- exit-status:end -->' README.md || {
  echo "generate-docs.sh: README.md lacks the <!-- exit-status:begin --> and <!-- exit-status:end --> lines" >&2; exit 65; }
awk -v table="$table" '
  $0 == "<!-- exit-status:begin -->" { print; print "| code | meaning |"; print "|---|---|"
    while ((getline row < table) > 0) print row
    skipping = 1; next }
  $0 == "<!-- exit-status:end -->" { skipping = 0 }
  !skipping { print }' README.md > "$readme"
cat "$readme" > "$out/README.md"
