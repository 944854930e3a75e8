#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what the tests need, build once, run once.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test
swift build --build-tests
# A throwaway MariaDB for the MySQL driver's conformance run, stopped however the tests end.
trap 'scripts/mariadb-test-server.sh stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
scripts/mariadb-test-server.sh start
eval "$(scripts/mariadb-test-server.sh env)"
swift test --skip-build --disable-xctest "$@"
