#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what the tests need, build once, run once.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test
swift build --build-tests
swift test --skip-build --disable-xctest "$@"
