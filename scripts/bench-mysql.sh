#!/usr/bin/env bash
# The MySQL/MariaDB catalogue against SQLite, in one run on this machine. Called by
# scripts/bench.sh; on its own (no build may run meanwhile: the machine has 2 cores):
#
#   scripts/bench-mysql.sh PATH/TO/imgrepo PATH/TO/imgrepo-synth [bench-data/200x4000x3000]
#
# 1. The same batch import (every file of the data folder, one `imgrepo upload`) into a fresh
#    repository whose catalogue is SQLite, and into one whose catalogue is on MariaDB, runs
#    alternating: medians and their ratio (target ≤ 1.3×). Both are durable at commit: SQLite runs synchronous=FULL,
#    the server innodb_flush_log_at_trx_commit=1.
# 2. The first page of a filtered list (--camera 'Canon*' --taken 2018..2020 --limit 20) on a
#    MariaDB catalogue of BENCH_MYSQL_CATALOGUE_COUNT synthetic images (default 1,000,000, made
#    once by imgrepo-synth and kept in the server's data folder): median (target < 50 ms).
#
# The server is a throwaway of its own (scripts/mariadb-test-server.sh with
# IMGREPO_MARIADB_DIR=.build-mariadb-bench/), stopped on exit. Prints a Markdown table on
# stdout; talk on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: scripts/bench-mysql.sh IMGREPO IMGREPO_SYNTH [DATA]"
imgrepo=$(realpath "${1:?$usage}")
synth=$(realpath "${2:?$usage}")
data=${3:-bench-data/200x4000x3000}
count=${BENCH_MYSQL_CATALOGUE_COUNT:-1000000}
runs=${BENCH_RUNS:-5}
work=${BENCH_TMP:-/tmp/imgrepo-bench}/mysql
mkdir -p "$work"
[ -d "$data" ] || { echo "bench-mysql: no $data (scripts/bench.sh generates it)" >&2; exit 66; }

export IMGREPO_MARIADB_DIR=${IMGREPO_MARIADB_DIR:-$PWD/.build-mariadb-bench}
export IMGREPO_MARIADB_DURABLE=1 IMGREPO_MARIADB_BUFFER_POOL=${IMGREPO_MARIADB_BUFFER_POOL:-1G}
trap 'scripts/mariadb-test-server.sh stop' EXIT
scripts/mariadb-test-server.sh start
# IMGREPO_TEST_MYSQL_URL (…/image_repo_db) and IMGREPO_DB_PASSWORD, which imgrepo reads.
eval "$(scripts/mariadb-test-server.sh env)"
server=${IMGREPO_TEST_MYSQL_URL%/*}
client() { mariadb --no-defaults --protocol=socket --socket="$IMGREPO_MARIADB_DIR/mariadbd.sock" -uroot "$@"; }
fresh_database() {
  client -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1 CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"
}
median() { jq -r ".results[0].median" "$1"; }
files=$(find "$data" -maxdepth 1 -type f ! -name '.*' | wc -l)

# 1. The import. Each run starts from a repository made by `imgrepo init` (so creating the
# catalogue's tables is not timed) and a synced disk. The two sides alternate, run by run, so
# that a load that comes and goes on a shared machine weighs on both alike.
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", b - a }'; }
middle() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
: > "$work/import-sqlite.times"; : > "$work/import-mysql.times"
import_sqlite() {
  rm -rf "$work/repo-sqlite"; "$imgrepo" init --repo "$work/repo-sqlite" 2>/dev/null; sync
  start=$(seconds); "$imgrepo" upload --repo "$work/repo-sqlite" "$data"/* > /dev/null; end=$(seconds)
  if [ "$run" -gt 1 ]; then elapsed "$start" "$end" >> "$work/import-sqlite.times"; fi
}
import_mysql() {
  rm -rf "$work/repo-mysql"; fresh_database bench_import
  "$imgrepo" init --repo "$work/repo-mysql" --database "$server/bench_import" 2>/dev/null; sync
  start=$(seconds); "$imgrepo" upload --repo "$work/repo-mysql" "$data"/* > /dev/null; end=$(seconds)
  if [ "$run" -gt 1 ]; then elapsed "$start" "$end" >> "$work/import-mysql.times"; fi
}
# The second import of a pair runs slower (the first one's 887 MB are still being written
# back): the order flips every run, so that neither side always pays it.
for run in $(seq 1 $((runs + 1))); do
  echo "bench-mysql: import of $files files, run $run of $((runs + 1)) (the first warms the caches)" >&2
  if [ $((run % 2)) -eq 1 ]; then import_sqlite; import_mysql; else import_mysql; import_sqlite; fi
done
sqlite_s=$(middle < "$work/import-sqlite.times"); mysql_s=$(middle < "$work/import-mysql.times")

# 2. The filtered first page on a big catalogue, made once.
catalogue=bench_catalogue_$count
if [ ! -f "$IMGREPO_MARIADB_DIR/$catalogue.complete" ]; then
  echo "bench-mysql: synthesising $count images into $server/$catalogue" >&2
  fresh_database "$catalogue"
  "$synth" --catalogue "$server/$catalogue" --count "$count" --seed 1
  client -e "ANALYZE TABLE $catalogue.images" > /dev/null
  touch "$IMGREPO_MARIADB_DIR/$catalogue.complete"
fi
rm -rf "$work/repo-list"
"$imgrepo" init --repo "$work/repo-list" --database "$server/$catalogue" 2>/dev/null
list=("$imgrepo" list --repo "$work/repo-list" --json --camera 'Canon*' --taken 2018..2020 --limit 20)
"${list[@]}" > "$work/list.json"
page=$(jq length "$work/list.json")
echo "bench-mysql: first page of a filtered list on $count images ($page rows)" >&2
hyperfine --style none -N --warmup 5 --runs 50 --export-json "$work/list-mysql.json" \
  -n list "$(printf '%q ' "${list[@]}")" >&2
list_s=$(median "$work/list-mysql.json")

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
cat <<MD

### MySQL/MariaDB catalogue — $(date -u +%Y-%m-%d), $(nproc) cores, MariaDB $(client -N -e 'SELECT VERSION()')

| measure | MariaDB | SQLite | ratio | target |
|---|---|---|---|---|
| \`upload\` of $files files ($data) into a fresh repository, median of $runs, alternating | $(awk -v s="$mysql_s" 'BEGIN { printf "%.2f s", s }') | $(awk -v s="$sqlite_s" 'BEGIN { printf "%.2f s", s }') | **$(awk -v a="$mysql_s" -v b="$sqlite_s" 'BEGIN { printf "%.2f", a / b }')×** | ≤ 1.3× |
| \`list --json --camera 'Canon*' --taken 2018..2020 --limit 20\` on $count images, median of 50 | $(ms "$list_s") ms | | | < 50 ms |
MD
