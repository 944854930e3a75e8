#!/usr/bin/env bash
# Rerun cost: importing N small JPEGs into a fresh repository, then importing them again
# (every file a duplicate found through the per-machine ingest cache). Called by
# scripts/bench.sh with the release binaries; prints a Markdown table.
#
#   scripts/bench-rerun.sh PATH/TO/imgrepo PATH/TO/imgrepo-sample
set -euo pipefail
cd "$(dirname "$0")/.."
imgrepo=${1:?usage: scripts/bench-rerun.sh IMGREPO IMGREPO_SAMPLE}
sample=${2:?usage: scripts/bench-rerun.sh IMGREPO IMGREPO_SAMPLE}
count=${BENCH_RERUN_COUNT:-10000}
work=${BENCH_TMP:-/tmp/imgrepo-bench}/rerun
data=bench-data/rerun-$count
if [ ! -f "$data/.complete" ]; then
  echo "bench-rerun: generating $count JPEGs of 160x120 in $data" >&2
  rm -rf "$data"; mkdir -p "$data"
  "$sample" --out "$data" --count "$count" --width 160 --height 120 --formats jpeg
  # Old mtimes: the cache distrusts entries for files modified within 2 s of being hashed.
  find "$data" -type f -exec touch -d '2020-01-01 00:00:00' {} +
  touch "$data/.complete"
fi
rm -rf "$work"; mkdir -p "$work/cache"
export XDG_CACHE_HOME=$work/cache
seconds() { local s e; s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
first=$(seconds "$imgrepo" upload --quiet --repo "$work/repo" "$data")
rerun=$(seconds "$imgrepo" upload --quiet --repo "$work/repo" "$data")
rehash=$(seconds "$imgrepo" upload --quiet --rehash --repo "$work/repo" "$data")
echo
echo "### Rerun over $count imported files ($(du -sh "$data" | cut -f1))"
echo
echo "| run | time | share of the first import | files/s | target |"
echo "|---|---|---|---|---|"
awk -v f="$first" -v r="$rerun" -v h="$rehash" -v n="$count" 'BEGIN {
  printf "| first import | %.2f s | 100%% | %.0f | |\n", f, n / f
  printf "| rerun (ingest cache) | %.2f s | **%.1f%%** | %.0f | < 5%% |\n", r, 100 * r / f, n / r
  printf "| rerun with --rehash | %.2f s | %.1f%% | %.0f | |\n", h, 100 * h / f, n / h }'
