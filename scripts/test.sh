#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what the tests need, build once, run once.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test
swift build --build-tests
# No Foundation in the modules imgrepo links (start-up; see the script).
scripts/check-lean-modules.sh "$(swift build --show-bin-path)"
# man/, completions/ and README.md's exit status table are generated and committed: they must
# be what the sources make now.
scripts/generate-docs.sh "$(swift build --show-bin-path)"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  untracked=$(git ls-files --others --exclude-standard -- man completions)
  if ! git diff --exit-code -- man completions README.md || [ -n "$untracked" ]; then
    echo "test.sh: generated files are stale${untracked:+ (new: $untracked)}: commit what scripts/generate-docs.sh wrote" >&2
    exit 1
  fi
else
  echo "test.sh: not a git checkout; man/ and completions/ were regenerated but not compared" >&2
fi
# A throwaway MariaDB for the MySQL driver's conformance run, stopped however the tests end.
trap 'scripts/mariadb-test-server.sh stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
scripts/mariadb-test-server.sh start
eval "$(scripts/mariadb-test-server.sh env)"
swift test --skip-build --disable-xctest "$@"
