#!/usr/bin/env bash
# Every filter, sort, paging option and output format of `list` and `stats` (issue 3) on a big
# catalogue: each must exit 0, and each bad value must be a usage error (64). Called by
# scripts/bench.sh on the million-image catalogue that scripts/bench-catalogue.sh makes; on its own:
#
#   scripts/check-filters.sh PATH/TO/imgrepo bench-data/catalogue-1000000/repo
#
# Prints a Markdown table (exit status, time, what came out) on stdout; exits 1 when a line
# does not end as it should. The CLI tests check the results on small fixtures; this checks that
# nothing fails, or takes unreasonably long, at scale.
set -uo pipefail

imgrepo=${1:?usage: scripts/check-filters.sh IMGREPO REPOSITORY}
repo=${2:?usage: scripts/check-filters.sh IMGREPO REPOSITORY}
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
failures=0

echo "| command | exit | time | output |"
echo "|---|---:|---:|---|"
# check STATUS ARGS...: runs imgrepo ARGS --repo REPO and expects exit STATUS.
check() {
  local expected=$1; shift
  local start end status
  start=$(date +%s%N)
  "$imgrepo" "$@" --repo "$repo" > "$out" 2> "$err"; status=$?
  end=$(date +%s%N)
  local shown
  if [ "$status" = 0 ]; then shown=$(head -c 40 "$out" | tr '\n\t|' '   '); else shown=$(head -n 1 "$err" | tr '|' ' '); fi
  local mark=""
  if [ "$status" != "$expected" ]; then mark=" **expected $expected**"; failures=$((failures + 1)); fi
  printf '| `imgrepo %s` | %s%s | %d ms | %s |\n' "$*" "$status" "$mark" $(((end - start) / 1000000)) "$shown"
}
count() { check 0 list "$@" --count; }

count --taken 2023-06..2023-08-15; count --taken 2024; count --taken 2023..; count --taken ..2022-12-31
count --uploaded 2024; count --uploaded 2023-01..2023-03
count --make 'Canon*'; count --model 'EOS*'; count --camera nikon; count --lens '*50mm*'
count --iso 100..400; count --fnumber ..2.8; count --exposure ..1/250; count --focal 24..70
count --type jpeg,png; count --name 'IMG_*'; count --size 5M..; count --width 4000..; count --height ..3000
count --pixels 12M..; count --orientation landscape; count --orientation portrait; count --orientation square
count --has-gps; count --no-gps; count --near 48.8566,2.3522,25; count --bbox 40,-10,50,10
count --owner bob; count --keyword beach; count --rating 4..
count --where 'taken >= 2023-06 and (make = "Canon" or iso > 1600)'
count --make canon --make nikon --iso 1600..
check 0 list --sort taken,-size --limit 5 --format ndjson
check 0 list --sort -taken --limit 3 --offset 100000 --format csv --fields id,name,taken_at
check 0 list --after 999990 --limit 20 --format tsv --no-headers
check 0 list --limit 5 --format table --tz UTC
check 0 list --limit 5 --json
check 0 stats --camera canon
check 0 stats --json
check 0 stats --format csv
check 0 stats --format ndjson --taken 2020
check 64 list --taken 2023-13
check 64 list --iso abc
check 64 list --near 91,0,5

[ "$failures" = 0 ] || { echo "check-filters: $failures line(s) did not end as expected" >&2; exit 1; }
