#!/usr/bin/env bash
# make bench: imgrepo against the reference tools, in one run on this machine, as ratios.
# Don't run it while something else builds: the machine has 2 cores.
#
#   BENCH_COUNT=200 BENCH_WIDTH=4000 BENCH_HEIGHT=3000 scripts/bench.sh
#
# Prints a Markdown report on stdout and keeps it in bench-data/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${BENCH_COUNT:-200}
width=${BENCH_WIDTH:-4000}
height=${BENCH_HEIGHT:-3000}
runs=${BENCH_RUNS:-5}
work=${BENCH_TMP:-/tmp/imgrepo-bench}

scripts/install-deps.sh bench
# A static Swift runtime: 5 ms start-up instead of 10 (no dynamic loading of Foundation and
# ICU), and a binary that runs where Swift is not installed.
swift build -c release --static-swift-stdlib >&2
bin=$(swift build -c release --show-bin-path)
imgrepo=$bin/imgrepo

data=bench-data/${count}x${width}x${height}
if [ ! -f "$data/.complete" ]; then
  echo "bench: generating $count JPEGs of ${width}x${height} in $data" >&2
  rm -rf "$data"; mkdir -p "$data"
  "$bin/imgrepo-sample" --out "$data" --count "$count" --width "$width" --height "$height" --formats jpeg
  touch "$data/.complete"
fi
bytes=$(du -sb "$data" | cut -f1)
mkdir -p "$work"

median() { jq -r ".results[$1].median" "$2"; }

echo "bench: upload vs sha512sum && cp" >&2
hyperfine --style none --runs "$runs" --export-json "$work/upload.json" \
  --prepare "rm -rf $work/repo $work/dest; mkdir -p $work/dest; sync" \
  -n floor "sha512sum $data/* > /dev/null && cp $data/* $work/dest/" \
  -n floor-parallel "printf '%s\\0' $data/* | xargs -0 -P $(nproc) -n 25 sha512sum > /dev/null && cp $data/* $work/dest/" \
  -n floor+sync "sha512sum $data/* > /dev/null && cp $data/* $work/dest/ && sync" \
  -n imgrepo "$imgrepo upload --repo $work/repo $data/* > /dev/null" >&2
floorseq=$(median 0 "$work/upload.json"); floorpar=$(median 1 "$work/upload.json")
floorsync=$(median 2 "$work/upload.json"); ours=$(median 3 "$work/upload.json")
# The floor is the faster of hashing on one core and hashing on all of them, then copying.
floor=$(awk -v a="$floorseq" -v b="$floorpar" 'BEGIN { print (a < b ? a : b) }')

echo "bench: start-up" >&2
rm -rf "$work/repo"
"$imgrepo" upload --repo "$work/repo" "$data"/* > /dev/null
hyperfine --style none -N --warmup 20 --runs 300 --export-json "$work/startup.json" \
  -n version "$imgrepo --version" \
  -n details "$imgrepo details --repo $work/repo 1" \
  -n list "$imgrepo list --repo $work/repo --json --limit 20" >&2

echo "bench: peak memory of a 1 GiB upload" >&2
big=$work/big.jpg
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -lt 1073741824 ]; then
  cp "$(ls "$data"/* | head -n 1)" "$big"
  # Bytes after the end-of-image marker are legal (cameras append previews there) and make
  # a 1 GiB file that imgrepo must read, hash and copy in full.
  head -c $((1073741824 - $(stat -c %s "$big"))) /dev/urandom >> "$big"
fi
rm -rf "$work/repo-big"
/usr/bin/time -f "%M %e" -o "$work/big.time" "$imgrepo" upload --repo "$work/repo-big" "$big" > /dev/null
read -r peak_kib big_seconds < "$work/big.time"
/usr/bin/time -f "%M %e" -o "$work/sha.time" sha512sum "$big" > /dev/null
read -r sha_kib sha_seconds < "$work/sha.time"

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

report=$(cat <<MD
## $(date -u +%Y-%m-%d) — $(nproc) cores, $(uname -m), $count JPEGs of ${width}×${height} ($(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB)

| measure | imgrepo | reference | ratio | target |
|---|---|---|---|---|
| upload into a fresh repository (median of $runs) | $(awk -v s="$ours" 'BEGIN { printf "%.2f s", s }') | floor, the faster of \`sha512sum && cp\` ($(awk -v s="$floorseq" 'BEGIN { printf "%.2f s", s }')) and \`sha512sum\` on $(nproc) cores \`&& cp\` ($(awk -v s="$floorpar" 'BEGIN { printf "%.2f s", s }')) | **$(ratio "$ours" "$floor")×** | ≤ 1.2× |
| files per second | $(awk -v s="$ours" -v n="$count" 'BEGIN { printf "%.0f", n / s }') | | | |
| same, reference made durable | | \`sha512sum && cp && sync\`: $(awk -v s="$floorsync" 'BEGIN { printf "%.2f s", s }') | $(ratio "$ours" "$floorsync")× | |
| \`imgrepo --version\` (median of 300) | $(ms "$(median 0 "$work/startup.json")") ms | | | < 15 ms |
| \`imgrepo details 1\` on $count images | $(ms "$(median 1 "$work/startup.json")") ms | | | < 15 ms |
| \`imgrepo list --json --limit 20\` | $(ms "$(median 2 "$work/startup.json")") ms | | | |
| peak memory uploading a 1 GiB file | $(mib "$peak_kib") MiB in ${big_seconds} s | \`sha512sum\`: $(mib "$sha_kib") MiB in ${sha_seconds} s | | < 64 MiB |
MD
)
echo "$report" | tee bench-data/results.md

# The catalogue: a million synthetic images, listing/counting/streaming against sqlite3.
echo "bench: catalogue of ${BENCH_CATALOGUE_COUNT:-1000000} images" >&2
scripts/bench-catalogue.sh "$imgrepo" "$bin/imgrepo-synth" | tee -a bench-data/results.md
# Every filter and format on that catalogue: none fails, bad values are usage errors.
echo "bench: every filter on the catalogue" >&2
{ echo; echo "### Every filter and format on the catalogue (scripts/check-filters.sh)"; echo
  scripts/check-filters.sh "$imgrepo" "bench-data/catalogue-${BENCH_CATALOGUE_COUNT:-1000000}/repo"; } | tee -a bench-data/results.md \
  || echo "bench: a filter did not end as expected (marked in the table)" >&2

# Reruns: a second import of 10,000 files costs a stat each, thanks to the ingest cache.
echo "bench: rerun over ${BENCH_RERUN_COUNT:-10000} imported files" >&2
scripts/bench-rerun.sh "$imgrepo" "$bin/imgrepo-sample" | tee -a bench-data/results.md

# Thumbnails: imgrepo against vipsthumbnail on the same JPEGs, the 24 MP one-shot, cache hits.
echo "bench: thumbnails" >&2
scripts/bench-thumbnails.sh "$imgrepo" "$bin/imgrepo-sample" "$data" | tee -a bench-data/results.md

# Fingerprints at import: what the perceptual and pixel hashes add to an upload.
echo "bench: fingerprints at import" >&2
scripts/bench-fingerprints.sh "$imgrepo" "$data" | tee -a bench-data/results.md

# Metadata extraction: imgrepo against exiftool and libexif's exif CLI.
echo "bench: metadata extraction" >&2
scripts/bench-exif.sh "$bin/imgrepo-exifcheck" "$data" | tee -a bench-data/results.md

# MySQL/MariaDB: the same import into SQLite and MariaDB, and a filtered first page on a big MariaDB catalogue.
scripts/bench-mysql.sh "$imgrepo" "$bin/imgrepo-synth" "$data" | tee -a bench-data/results.md
