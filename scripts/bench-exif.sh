#!/usr/bin/env bash
# Metadata extraction (issue 7): imgrepo's extraction over a folder in one process against
# `exiftool -json -n -r` over the same folder in one process (target: at least 20x faster) and
# against libexif's own `exif` CLI given every JPEG at once (libexif without our container walk).
# Called by scripts/bench.sh; alone:
#
#   scripts/bench-exif.sh BIN/imgrepo-exifcheck SAMPLE_FOLDER
#
# Runs over ../shared/corpus (real cameras) when it exists, and over SAMPLE_FOLDER (the
# benchmark's 12 MP JPEGs) always. Prints a Markdown section on stdout.
set -euo pipefail
exifcheck=$1
samples=$2
runs=${BENCH_RUNS:-10}
work=${BENCH_TMP:-/tmp/imgrepo-bench}/exif
mkdir -p "$work"

echo "## Metadata extraction — $(date -u +%F)"
echo
echo "\`imgrepo-exifcheck --extract FOLDER\` reads every file whole through upload's inspector and"
echo "decodes EXIF (libexif) and XMP (expat) as upload does; exiftool reads only what it needs."
echo "Each side is one process over the whole folder (hyperfine, median of $runs, warm cache)."
echo
echo "| folder | images | imgrepo | exiftool -json -n -r | ratio | exif CLI (JPEGs only) | ratio | target |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
folders=("$samples")
[ -d ../shared/corpus ] && folders=(../shared/corpus "${folders[@]}")
for folder in "${folders[@]}"; do
  images=$("$exifcheck" --extract "$folder" | sed -E 's/^[0-9]+ files, ([0-9]+) images.*/\1/')
  find "$folder" -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -print0 > "$work/jpegs"
  echo "bench-exif: $folder ($images images)" >&2
  hyperfine --style none -N --warmup 2 --runs "$runs" --export-json "$work/run.json" \
    -n imgrepo "$exifcheck --extract $folder" \
    -n exiftool "exiftool -json -n -r -q $folder" \
    -n exif "sh -c 'xargs -0 exif -m < $work/jpegs > /dev/null 2>&1; true'" > /dev/null 2>&1
  ours=$(jq -r '.results[0].median' "$work/run.json")
  theirs=$(jq -r '.results[1].median' "$work/run.json")
  cli=$(jq -r '.results[2].median' "$work/run.json")
  awk -v f="$folder" -v n="$images" -v o="$ours" -v t="$theirs" -v c="$cli" 'BEGIN {
    printf "| %s | %d | %.1f ms (%.2f ms/image) | %.1f ms | %.1fx faster | %.1f ms | %.2fx | >= 20x faster than exiftool |\n",
      f, n, o * 1000, o * 1000 / n, t * 1000, t / o, c * 1000, c / o }'
done
echo
