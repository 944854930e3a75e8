#!/usr/bin/env bash
# Fingerprints at import (issue 8): a plain upload of the benchmark's JPEGs against the same
# upload computing the perceptual hash, both hashes, a 256 px thumbnail (for scale), or the
# thumbnail and the perceptual hash together (one shared 1/8-scale decode), into a fresh
# repository each run; then the floor under the perceptual rows, djpeg's 1/8-scale decode of the
# same files with no upload at all. Called by scripts/bench.sh; alone:
#
#   scripts/bench-fingerprints.sh BIN/imgrepo SAMPLE_FOLDER
#
# Prints a Markdown section on stdout.
set -euo pipefail
imgrepo=$1
data=$2
runs=${BENCH_RUNS:-5}
work=${BENCH_TMP:-/tmp/imgrepo-bench}/fingerprints
mkdir -p "$work"
count=$(ls "$data" | grep -c -i '\.jpe\?g$')

echo "bench-fingerprints: upload of $count files, plain and with fingerprints" >&2
# A fresh repository and ingest cache each run, so that every file is read, hashed and decoded.
prepare="rm -rf $work/repo $work/cache; sync"
upload="env XDG_CACHE_HOME=$work/cache $imgrepo upload --quiet --repo $work/repo $data"
hyperfine --style none --runs "$runs" --export-json "$work/run.json" --prepare "$prepare" \
  -n plain "$upload" \
  -n perceptual "$upload --fingerprints perceptual" \
  -n both "$upload --fingerprints all" \
  -n thumbnail "$upload --thumbnails 256" \
  -n thumbnail+perceptual "$upload --thumbnails 256 --fingerprints perceptual" > /dev/null 2>&1
# The floor under any hash taken from a 1/8-scale decode: libjpeg-turbo's own djpeg decoding the
# same files to grey at 1/8 on every core, and nothing else (no copy, no SHA-512, no catalogue).
# At 1/8 libjpeg still entropy-decodes every coefficient, which is most of a full decode's cost.
echo "bench-fingerprints: the 1/8-scale decode alone (djpeg)" >&2
hyperfine --style none --runs "$runs" --export-json "$work/floor.json" \
  -n djpeg "printf '%s\\0' $data/* | xargs -0 -P $(nproc) -n 1 djpeg -scale 1/8 -grayscale -outfile /dev/null" > /dev/null 2>&1
m() { jq -r ".results[$1].median" "$work/run.json"; }
plain=$(m 0)
row() { awk -v name="$1" -v s="$2" -v p="$plain" -v n="$count" 'BEGIN {
  printf "| %s | %.2f s | %.0f | +%.0f%% | %.1f ms |\n", name, s, n / s, (s / p - 1) * 100, (s - p) * 1000 / n }'; }

echo "## Fingerprints at import — $(date -u +%F)"
echo
echo "$count JPEGs from \`$data\` into a fresh repository, $(nproc) worker threads, median of $runs."
echo
echo "| upload | time | files/s | over plain | extra time per file (wall) |"
echo "|---|---:|---:|---:|---:|"
awk -v s="$plain" -v n="$count" 'BEGIN { printf "| plain | %.2f s | %.0f | | |\n", s, n / s }'
row "--fingerprints perceptual (1/8-scale decode, DCT hash)" "$(m 1)"
row "--fingerprints all (also the full decode and its SHA-512)" "$(m 2)"
row "--thumbnails 256 (for scale)" "$(m 3)"
row "--thumbnails 256 --fingerprints perceptual (one shared 1/8-scale decode)" "$(m 4)"
row "floor: the 1/8-scale decode alone, \`djpeg -scale 1/8 -grayscale\` on $(nproc) processes (no upload at all)" \
  "$(jq -r '.results[0].median' "$work/floor.json")"
echo
