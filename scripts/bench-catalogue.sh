#!/usr/bin/env bash
# The catalogue benchmarks: imgrepo's listing, counting and streaming on a 1,000,000-image
# catalogue against the same SQL in the sqlite3 shell. Called by scripts/bench.sh; on its own:
#
#   scripts/bench-catalogue.sh PATH/TO/imgrepo PATH/TO/imgrepo-synth
#
# The catalogue is made once by imgrepo-synth (seed 1) and cached in bench-data/catalogue-N/.
# Delete that folder after a schema change. Prints a Markdown table on stdout; talk on stderr.
# A command imgrepo does not accept (yet) is reported and skipped, not fatal.
set -uo pipefail
cd "$(dirname "$0")/.."

imgrepo=${1:?usage: scripts/bench-catalogue.sh IMGREPO IMGREPO_SYNTH}
synth=${2:?usage: scripts/bench-catalogue.sh IMGREPO IMGREPO_SYNTH}
count=${BENCH_CATALOGUE_COUNT:-1000000}
runs=${BENCH_RUNS:-10}
# Queries of a few milliseconds are mostly process start-up, which this shared 2-core machine
# makes noisy (±15 % between runs of 20): they get many more runs.
quick_runs=${BENCH_QUICK_RUNS:-300}
work=${BENCH_TMP:-/tmp/imgrepo-bench}/catalogue
mkdir -p "$work"

data=bench-data/catalogue-$count
repo=$data/repo
# .complete holds the catalogue schema version it was made with: another version, another catalogue.
if [ "$(cat "$data/.complete" 2>/dev/null)" != "4" ]; then
  echo "bench-catalogue: synthesising $count images into $repo/catalog.sqlite" >&2
  rm -rf "$data"; mkdir -p "$repo/objects" "$repo/tmp"
  "$synth" --catalogue "$repo/catalog.sqlite" --count "$count" --seed 1 || exit 1
  printf 'format = 1\nid = "bench"\ncreated = "2026-01-01T00:00:00.000000Z"\ndatabase = "sqlite:catalog.sqlite"\n' > "$repo/config"
  : > "$repo/lock"
  # Fold the WAL into the file so both sides start from the same state.
  sqlite3 "$repo/catalog.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null
  echo 4 > "$data/.complete"
fi
db=$repo/catalog.sqlite

# What the store selects for a record, in its order (ImageRecordSQL.columns with SQLite's dialect).
columns="id, sha512, original_name, original_path, owner, uploaded_at, byte_size, format, width, height, \
exif_status, make, model, lens, taken_local, taken_offset, exposure_time, f_number, iso, focal_length, \
orientation, gps_latitude, gps_longitude, gps_altitude, software, artist, copyright, title, description, \
creator, rating, taken_source, focal_length_35mm, flash, pixel_sha512, phash, fingerprint_version, taken_tag, \
warnings, taken_utc, (SELECT group_concat(keyword, char(31)) FROM image_keywords WHERE image_keywords.image_id = images.id)"
# The SQL imgrepo's compiler produces for --camera 'Canon*' --taken 2018..2020 (a literal
# prefix glob becomes a range on the folded column) and for --near 48.8566,2.3522,25 (a box
# around the circle, then the haversine distance).
camera_taken="((lower(make) >= 'canon' AND lower(make) < 'canoo') OR (lower(model) >= 'canon' AND lower(model) < 'canoo')) \
AND taken_local >= '2018-01-01T00:00:00' AND taken_local < '2021-01-01T00:00:00'"
near="gps_latitude BETWEEN 48.631742 AND 49.081458 AND gps_longitude BETWEEN 2.010353 AND 2.694047 \
AND 2 * 6371.0088 * asin(sqrt(pow(sin(radians(gps_latitude - 48.8566) / 2), 2) \
+ cos(radians(48.8566)) * cos(radians(gps_latitude)) * pow(sin(radians(gps_longitude - 2.3522) / 2), 2))) <= 25"

filters=(--camera 'Canon*' --taken 2018..2020)
declare -a names ours theirs
# bench RUNS NAME 'SQL' imgrepo-arguments...: times both sides with hyperfine (-N, warm-up).
bench() {
  local runs=$1 name=$2 sql=$3; shift 3
  local ours_cmd=("$imgrepo" list --repo "$repo" "$@")
  echo "bench-catalogue: $name" >&2
  if ! "${ours_cmd[@]}" > "$work/check.out" 2> "$work/check.err"; then
    echo "bench-catalogue: imgrepo ${*} failed:" >&2
    sed 's/^/  /' "$work/check.err" >&2
    names+=("$name"); ours+=("failed"); theirs+=("$(hyperfine_one "$runs" "$sql")")
    return
  fi
  local quoted; quoted=$(printf '%q ' "${ours_cmd[@]}")
  hyperfine --style none -N --warmup 3 --runs "$runs" --export-json "$work/$name.json" \
    -n imgrepo "$quoted" -n sqlite3 "sqlite3 -json $db $(printf '%q' "$sql")" > /dev/null 2>&1
  names+=("$name"); ours+=("$(jq -r '.results[0].median' "$work/$name.json")")
  theirs+=("$(jq -r '.results[1].median' "$work/$name.json")")
}
hyperfine_one() {
  hyperfine --style none -N --warmup 3 --runs "$1" --export-json "$work/one.json" \
    "sqlite3 -json $db $(printf '%q' "$2")" > /dev/null 2>&1 && jq -r '.results[0].median' "$work/one.json"
}

bench "$quick_runs" "first page: camera + taken, sorted by taken" \
  "SELECT $columns FROM images WHERE $camera_taken ORDER BY taken_local, id LIMIT 50" \
  "${filters[@]}" --sort taken --limit 50 --format json
bench "$quick_runs" "count: camera + taken" \
  "SELECT count(*) FROM images WHERE $camera_taken" \
  "${filters[@]}" --count
bench "$quick_runs" "near Paris 25 km, first page" \
  "SELECT $columns FROM images WHERE $near ORDER BY id LIMIT 50" \
  --near 48.8566,2.3522,25 --limit 50 --format json
bench "$quick_runs" "near Paris 25 km, count" \
  "SELECT count(*) FROM images WHERE $near" \
  --near 48.8566,2.3522,25 --count
bench "$runs" "stream every row" \
  "SELECT $columns FROM images" \
  --format ndjson

# similar: the 10 nearest perceptual hashes to image 1's among all (no sqlite3 counterpart:
# the Hamming distance is imgrepo's own SQL function).
echo "bench-catalogue: similar, 10 nearest" >&2
similar_s=failed
if "$imgrepo" similar --repo "$repo" 1 --limit 10 > "$work/similar.out" 2> "$work/similar.err"; then
  hyperfine --style none -N --warmup 2 --runs "$runs" --export-json "$work/similar.json" \
    "$imgrepo similar --repo $repo 1 --limit 10 --format json" > /dev/null 2>&1
  similar_s=$(jq -r '.results[0].median' "$work/similar.json")
else
  sed 's/^/  /' "$work/similar.err" >&2
fi

echo "bench-catalogue: peak memory streaming every row" >&2
peak() { /usr/bin/time -f %M -o "$work/peak" "$@" > /dev/null 2> "$work/peak.err" && cat "$work/peak" || echo failed; }
our_peak=$(peak "$imgrepo" list --repo "$repo" --format ndjson)
their_peak=$(peak sqlite3 -json "$db" "SELECT $columns FROM images")

ms() { case $1 in failed|"") echo "$1" ;; *) awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }' ;; esac; }
ratio() { case "$1$2" in *failed*|"") echo "–" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }' ;; esac; }
mib() { case $1 in failed) echo failed ;; *) awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }' ;; esac; }

echo "### Catalogue of $count images ($(du -m "$db" | cut -f1) MB), medians of $quick_runs (queries) and $runs (streaming, similar)"
echo
echo "| query | imgrepo | sqlite3 -json, same SQL | ratio | target |"
echo "|---|---|---|---|---|"
targets=("≤ 2×, < 50 ms" "≤ 2×, < 50 ms" "< 100 ms" "< 100 ms" "≤ 2×")
for i in "${!names[@]}"; do
  echo "| ${names[$i]} | $(ms "${ours[$i]}") | $(ms "${theirs[$i]}") | $(ratio "${ours[$i]}" "${theirs[$i]}") | ${targets[$i]} |"
done
echo "| peak memory streaming every row | $(mib "$our_peak") | $(mib "$their_peak") | | < 64 MiB |"
echo "| \`similar 1 --limit 10\` over $count perceptual hashes | $(ms "$similar_s") | | | < 200 ms |"
