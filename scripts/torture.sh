#!/usr/bin/env bash
# make torture: the attacks of issue 23's adversarial run, made repeatable, so that they keep
# being tried. Each round of each attack checks invariants (documented exit status, no signal,
# no lost blob, verify clean in the end), never exact outputs:
#   hostile      truncated, bit-flipped, header-bomb, zero-size and random files with image
#                signatures (JPEG, PNG, GIF, WebP, TIFF, BMP, HEIC) through upload, thumbnail,
#                index, details and get
#   kill         SIGKILL 0–300 ms into an upload, delete, verify --repair, migrate-catalog,
#                thumbnail or index: only garbage is left, what was reported stored is listed
#   concurrency  overlapping uploads, deletes and a verify --repair
#   diskfull     a repository on a small tmpfs, filled (root only: skipped otherwise)
#   arguments    hostile command-line values
#   catalogue    catalog.sqlite removed or emptied, a mistyped --database, config lost after
#                migrate-catalog: no blob is ever lost and rebuild-catalog brings the images back
#
#   scripts/torture.sh [ATTACK...]                      (default: all of them)
#   IMGREPO_BIN=PATH TORTURE_ROUNDS=20 TORTURE_SECONDS=120 TORTURE_SEED=N scripts/torture.sh
#
# TORTURE_ROUNDS rounds per attack, each attack stopping early after TORTURE_SECONDS. The
# imgrepo-sample built beside IMGREPO_BIN draws the samples. Everything happens in a temp folder
# (kept, with the repository of every failed round, when something failed); nothing uses the
# network. Ends with one line "N passed, N failed"; exit 1 when any round failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts=$PWD/scripts

rounds=${TORTURE_ROUNDS:-20}
seconds=${TORTURE_SECONDS:-120}
seed=${TORTURE_SEED:-$(( $(date +%s) % 100000 ))}
attacks=("$@")
[ ${#attacks[@]} -gt 0 ] || attacks=(hostile kill concurrency diskfull arguments catalogue)
for attack in "${attacks[@]}"; do
  case $attack in
    hostile|kill|concurrency|diskfull|arguments|catalogue) ;;
    *) echo "torture.sh: unknown attack '$attack' (hostile, kill, concurrency, diskfull, arguments, catalogue)" >&2; exit 64 ;;
  esac
done

if [ -z "${IMGREPO_BIN:-}" ]; then
  swift build --product imgrepo >&2
  swift build --product imgrepo-sample >&2
  IMGREPO_BIN=$(swift build --show-bin-path)/imgrepo
fi
imgrepo=$(realpath "$IMGREPO_BIN")
sample=$(dirname "$imgrepo")/imgrepo-sample
for tool in "$imgrepo" "$sample"; do
  [ -x "$tool" ] || { echo "torture.sh: $tool is not an executable: run 'swift build', or pass IMGREPO_BIN=PATH" >&2; exit 66; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/imgrepo-torture.XXXXXX")
mounted=
cleanup() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true; fi
  if [ "${failed:-0}" -eq 0 ]; then rm -rf "$work"; else echo "torture: kept $work (failed rounds under failures/)" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# No setting of the user's may reach imgrepo: its own HOME, XDG folders and upload cache.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
  XDG_CACHE_HOME=$work/home/.cache TZ=UTC LC_ALL=C
unset IMGREPO_REPO IMGREPO_DATABASE IMGREPO_DB_PASSWORD IMGREPO_OWNER
mkdir -p "$HOME"
RANDOM=$seed
echo "torture: $imgrepo, seed $seed (TORTURE_SEED=$seed repeats the choices), $rounds rounds of each of: ${attacks[*]}" >&2

passed=0 failed=0
problems=()
problem() { problems+=("$*"); }

# round_end ATTACK N REPO...: counts the round, and on failure says why and keeps its state.
round_end() {
  local attack=$1 n=$2; shift 2
  if [ ${#problems[@]} -eq 0 ]; then passed=$((passed + 1)); return; fi
  failed=$((failed + 1))
  local keep=$work/failures/$attack-$n
  mkdir -p "$keep"
  local p
  for p in "${problems[@]}"; do echo "torture: FAIL $attack round $n: $p" >&2; done
  for p in "$@"; do [ -e "$p" ] && cp -a "$p" "$keep/" 2>/dev/null || true; done
  problems=()
}

out=$work/out err=$work/err
# The longest output line allowed: 4 KB. (The arguments attack raises it by its longest argument,
# since a path is quoted whole, however long: other values are shortened, ImgrepoError.excerpt.)
line_limit=4096
# The exit statuses imgrepo documents for these commands (verify adds 6).
documented=" 0 3 4 5 64 65 66 69 73 74 77 "

# im ARGS...: runs imgrepo with stdout in $out, stderr in $err, its status in $rc, and checks
# what every command must do: a documented status (no signal), stderr lines that all start
# with "imgrepo:", no line of output over 4 KB.
im() {
  rc=0
  "$imgrepo" "$@" > "$out" 2> "$err" < /dev/null || rc=$?
  check_output "$rc" "$out" "$err" "$*"
}

# check_output STATUS STDOUT STDERR WHAT [ALLOWED]
check_output() {
  local status=$1 stdout=$2 stderr=$3 what=${4:0:300} allowed=${5:-$documented}
  case $what in verify*) allowed="$allowed 6 " ;; esac
  if [[ $allowed != *" $status "* ]]; then
    problem "imgrepo $what: exit status $status$( [ "$status" -ge 128 ] && echo " (signal $((status - 128)))" ): $(head -c 300 "$stderr")"
  fi
  local stray
  stray=$(grep -av '^imgrepo: ' "$stderr" | head -n 3 | paste -sd '|' || true)
  [ -z "$stray" ] || problem "imgrepo $what: stderr lines without 'imgrepo:': ${stray:0:300}"
  if awk -v max="$line_limit" 'length($0) > max { found = 1 } END { exit !found }' "$stdout" "$stderr"; then
    problem "imgrepo $what: an output line over $line_limit bytes"
  fi
}

# verify_clean WHAT: `imgrepo verify` exits 0 and reports nothing.
verify_clean() {
  im verify --format tsv --no-headers
  if [ "$rc" -ne 0 ] || [ -s "$out" ]; then problem "$1: verify is not clean (exit $rc): $(head -c 400 "$out" | tr '\n\t' '| ') $(tail -n 1 "$err")"; fi
}

# verify_garbage_only WHAT: verify reports nothing, or only what a killed writer may leave.
verify_garbage_only() {
  im verify --format tsv --no-headers
  local bad
  bad=$(cut -f1 "$out" | grep -avxE 'orphan_blob|stale_temp|orphan_thumbnail' | sort -u | tr '\n' ' ' || true)
  if [ -n "$bad" ] || { [ "$rc" -ne 0 ] && [ "$rc" -ne 6 ]; }; then
    problem "$1: verify found $bad(exit $rc): $(grep -avE '^(orphan_blob|stale_temp|orphan_thumbnail)' "$out" | head -c 400 | tr '\n\t' '| ')"
  fi
}

blob_count() { find "$1/objects" -type f 2>/dev/null | wc -l; }
list_count() { "$imgrepo" list --count "$@" 2>/dev/null || echo "?"; }
millis() { awk -v r="$1" 'BEGIN { printf "%.3f", r / 1000 }'; }
# random_ids N: sets ids to up to N ids of the current repository, at random. ($RANDOM is read
# here, not in the subshells: a subshell would see the same value every time.)
random_ids() {
  local r=$RANDOM
  mapfile -t ids < <("$imgrepo" list --format tsv --no-headers --fields id 2>/dev/null | shuf -n "$1" --random-source=<(yes "$r") || true)
}
elapsed_out() { [ $((SECONDS - started)) -ge "$seconds" ]; }

# Samples: small images of every format; a few bigger ones so that a kill lands mid-file.
echo "torture: drawing samples" >&2
"$sample" --out "$work/samples" --count 21 --width 48 --height 32 --formats jpeg,png,gif,webp,tiff,bmp,heic --seed "$seed" 2>/dev/null
"$sample" --out "$work/samples-large" --count 7 --width 640 --height 480 --formats jpeg,png,gif,webp,tiff,bmp,heic --seed "$((seed + 100))" 2>/dev/null
"$sample" --out "$work/pool" --count 240 --width 96 --height 64 --formats jpeg,png,gif,webp,tiff,bmp --seed "$((seed + 1000))" 2>/dev/null
"$sample" --out "$work/pool" --count 8 --width 800 --height 600 --formats jpeg,png --seed "$((seed + 5000))" 2>/dev/null
mapfile -t pool < <(ls "$work/pool" | sed "s|^|$work/pool/|")

# pick_folder DEST N: a folder of N images of the pool, at random (some already stored).
pick_folder() {
  rm -rf "$1"; mkdir -p "$1"
  local i r=$RANDOM
  for i in $(shuf -i 0-$((${#pool[@]} - 1)) -n "$2" --random-source=<(yes "$r")); do cp "${pool[$i]}" "$1/"; done
}

# ---------------------------------------------------------------------------------------------
attack_hostile() {
  local repo=$work/hostile/repo n ids id file
  export IMGREPO_REPO=$repo
  for ((n = 1; n <= rounds; n++)); do
    elapsed_out && break
    local files=$work/hostile/files-$n
    python3 "$scripts/torture-mutate.py" "$((seed * 1000 + n))" "$files" 10 "$work"/samples/* "$work"/samples-large/*
    local before
    before=$("$imgrepo" list --format tsv --no-headers --fields id 2>/dev/null | sort -n | tail -n 1 || true)
    # Named one by one (a non-image named is a failure), some with --allow-damaged so that
    # damaged bytes are stored and the decoders of thumbnail and index meet them later.
    for file in "$files"/*; do
      if [ $((RANDOM % 2)) -eq 0 ]; then im upload --allow-damaged "$file"; else im upload "$file"; fi
      if grep -avqE '^(stored|duplicate|skipped|failed|same-pixels) ' "$out"; then
        problem "upload $file: stdout line of no known kind: $(grep -avE '^(stored|duplicate|skipped|failed|same-pixels) ' "$out" | head -c 300)"
      fi
    done
    # As a folder, with thumbnails and fingerprints made during the import.
    im upload --allow-damaged --thumbnails 64 --fingerprints all --rehash "$files"
    mapfile -t ids < <("$imgrepo" list --format tsv --no-headers --fields id 2>/dev/null | awk -v b="${before:-0}" '$1 > b')
    mkdir -p "$work/hostile/out"
    for id in "${ids[@]}"; do
      im thumbnail --size $((RANDOM % 200 + 8)) -o "$work/hostile/out/" "$id"
      local formats=(jpeg png webp)
      im thumbnail --format "${formats[$((RANDOM % 3))]}" --no-cache -o "$work/hostile/out/t" "$id"
      im details --json "$id"
      im get "$id" -o "$work/hostile/out/got"
      [ "$rc" -eq 0 ] || problem "get $id of a stored file: exit $rc: $(head -c 300 "$err")"
    done
    im index --all
    verify_clean "hostile round $n"
    round_end hostile "$n" "$repo" "$files"
    rm -rf "$files" "$work/hostile/out"
  done
}

# ---------------------------------------------------------------------------------------------
attack_kill() {
  local repo=$work/kill/repo n op pid
  export IMGREPO_REPO=$repo
  pick_folder "$work/kill/seed" 30
  "$imgrepo" upload --quiet "$work/kill/seed" > /dev/null 2>&1
  local catalogue=1 killed=0
  for ((n = 1; n <= rounds; n++)); do
    elapsed_out && break
    local ops=(upload upload delete repair migrate thumbnail index)
    op=${ops[$((RANDOM % ${#ops[@]}))]}
    local args=() delay=$((RANDOM % 301))
    case $op in
      upload)
        # New images (so that there is work to interrupt) and some of the pool (duplicates).
        rm -rf "$work/kill/in"
        "$sample" --out "$work/kill/in" --count $((RANDOM % 40 + 10)) --width 320 --height 240 \
          --formats jpeg,png,gif,webp,tiff,bmp --seed "$((seed * 1000 + n))" 2> /dev/null
        pick_folder "$work/kill/pool" $((RANDOM % 10))
        mv "$work/kill/pool"/* "$work/kill/in/" 2> /dev/null || true
        args=(upload "$work/kill/in")
        if [ $((RANDOM % 3)) -ne 0 ]; then args+=(--thumbnails 64 --fingerprints all); fi
        ;;
      delete) random_ids $((RANDOM % 6 + 1)); args=(delete "${ids[@]}") ;;
      repair)
        # Garbage for it to clear: an orphan blob (moved to quarantine/) and a stale temp file.
        local orphan=${pool[$((RANDOM % ${#pool[@]}))]} sum
        sum=$(sha512sum "$orphan" | cut -c1-128)
        if ! "$imgrepo" list --format tsv --no-headers --fields sha512 2>/dev/null | grep -qx "$sum"; then
          mkdir -p "$repo/objects/${sum:0:2}"
          cp "$orphan" "$repo/objects/${sum:0:2}/${sum:2}" 2>/dev/null || true
        fi
        head -c 10000 /dev/urandom > "$repo/tmp/torture-stale-$n"
        touch -d '2 days ago' "$repo/tmp/torture-stale-$n"
        args=(verify --repair)
        ;;
      migrate) catalogue=$((catalogue + 1)); args=(migrate-catalog --to "sqlite:catalog-$catalogue.sqlite") ;;
      thumbnail)
        mkdir -p "$work/kill/thumbs"
        random_ids 40
        args=(thumbnail --size $((RANDOM % 300 + 16)) -o "$work/kill/thumbs/" "${ids[@]}")
        ;;
      index) args=(index --all) ;;
    esac
    "$imgrepo" "${args[@]}" > "$work/kill/killed.out" 2> "$work/kill/killed.err" < /dev/null &
    pid=$!
    sleep "$(millis "$delay")"
    kill -KILL "$pid" 2>/dev/null || true
    local status=0
    # (Without 2>/dev/null bash reports every "Killed" job.)
    wait "$pid" 2> /dev/null || status=$?
    if [ "$status" -eq 137 ]; then
      killed=$((killed + 1))
    else
      check_output "$status" "$work/kill/killed.out" "$work/kill/killed.err" "${args[*]} (finished before its kill)"
    fi
    local what="kill of '${args[*]:0:3}' after $delay ms"
    verify_garbage_only "$what"
    # What was reported before the kill is durable: stored images are listed with their ids,
    # deleted ones are gone.
    "$imgrepo" list --format tsv --no-headers --fields id,name > "$work/kill/list" 2>/dev/null || problem "$what: list fails"
    local verb id name
    while read -r verb id name; do
      case $verb in
        stored) grep -qxF "$id	$name" "$work/kill/list" || problem "$what: reported 'stored $id $name', not listed" ;;
        deleted) ! grep -q "^$id	" "$work/kill/list" || problem "$what: reported 'deleted $id', still listed" ;;
      esac
    done < "$work/kill/killed.out"
    # Run again, it finishes the job.
    case $op in
      upload) im upload "$work/kill/in"; [ "$rc" -eq 0 ] || problem "$what: rerun of the upload exits $rc: $(tail -n 2 "$err")" ;;
      delete) [ ${#ids[@]} -eq 0 ] || { im delete "${ids[@]}"; [ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || problem "$what: rerun exits $rc: $(tail -n 2 "$err")"; } ;;
      migrate)
        if ! grep -q "catalog-$catalogue.sqlite" "$repo/config"; then
          im "${args[@]}"; [ "$rc" -eq 0 ] || problem "$what: rerun exits $rc: $(tail -n 2 "$err")"
        fi
        ;;
      thumbnail|index) im "${args[@]}"; [ "$rc" -eq 0 ] || problem "$what: rerun exits $rc: $(tail -n 2 "$err")" ;;
      repair) im verify --repair; [ "$rc" -eq 0 ] || [ "$rc" -eq 6 ] || problem "$what: rerun exits $rc" ;;
    esac
    im verify --repair --force
    verify_clean "$what, then verify --repair --force"
    round_end kill "$n" "$repo" "$work/kill/killed.out" "$work/kill/killed.err"
  done
  echo "torture: kill: $killed of $((n - 1)) commands killed before they finished" >&2
}

# ---------------------------------------------------------------------------------------------
attack_concurrency() {
  local repo=$work/concurrency/repo n i pids
  export IMGREPO_REPO=$repo
  for ((n = 1; n <= rounds; n++)); do
    elapsed_out && break
    rm -rf "$repo"
    for i in 1 2 3; do pick_folder "$work/concurrency/in$i" $((RANDOM % 40 + 20)); done
    "$imgrepo" upload --quiet "$work/concurrency/in1" > /dev/null 2>&1 || true
    pids=()
    for i in 1 2 3; do
      "$imgrepo" upload "$work/concurrency/in$i" > "$work/concurrency/up$i.out" 2> "$work/concurrency/up$i.err" < /dev/null &
      pids+=($!)
    done
    # A repair while they run: it must not take an upload's blob, written before its row, for
    # an orphan.
    "$imgrepo" verify --repair > "$work/concurrency/repair.out" 2> "$work/concurrency/repair.err" < /dev/null &
    local repair=$!
    # Deletes of ids that exist now, while the uploads run (some are uploaded again by them).
    random_ids 10
    local d=0
    for id in "${ids[@]}"; do
      d=$((d + 1))
      "$imgrepo" delete "$id" > "$work/concurrency/del$d.out" 2> "$work/concurrency/del$d.err" < /dev/null &
      pids+=($!)
    done
    local k=0 status
    for pid in "${pids[@]}"; do
      k=$((k + 1)); status=0
      wait "$pid" || status=$?
      if [ "$k" -le 3 ]; then
        check_output "$status" "$work/concurrency/up$k.out" "$work/concurrency/up$k.err" "upload (overlapping)" " 0 "
      else
        check_output "$status" "$work/concurrency/del$((k - 3)).out" "$work/concurrency/del$((k - 3)).err" "delete (during uploads)" " 0 4 "
      fi
    done
    status=0
    wait "$repair" || status=$?
    check_output "$status" "$work/concurrency/repair.out" "$work/concurrency/repair.err" "verify --repair (during uploads)" " 0 6 "
    verify_clean "concurrency round $n"
    # Uploading everything again stores what the deletes took and nothing twice.
    im upload --quiet "$work/concurrency/in1" "$work/concurrency/in2" "$work/concurrency/in3"
    [ "$rc" -eq 0 ] || problem "upload of every folder again: exit $rc: $(tail -n 2 "$err")"
    local distinct
    distinct=$(sha512sum "$work"/concurrency/in*/* | cut -c1-128 | sort -u | wc -l)
    [ "$(list_count)" = "$distinct" ] || problem "after uploading everything again: list --count $(list_count), $distinct distinct files"
    [ "$(blob_count "$repo")" = "$distinct" ] || problem "$(blob_count "$repo") blobs for $distinct distinct files"
    verify_clean "concurrency round $n, after the uploads again"
    round_end concurrency "$n" "$repo"
  done
}

# ---------------------------------------------------------------------------------------------
attack_diskfull() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "torture: diskfull skipped: mounting a tmpfs needs root" >&2
    return
  fi
  local small=$work/diskfull/small n id
  mkdir -p "$small"
  if ! mount -t tmpfs -o size=4m tmpfs "$small"; then
    echo "torture: diskfull skipped: cannot mount a tmpfs" >&2
    return
  fi
  mounted=$small
  local repo=$small/repo
  export IMGREPO_REPO=$repo
  for ((n = 1; n <= rounds; n++)); do
    elapsed_out && break
    rm -rf "$repo" "$small/filler"
    pick_folder "$work/diskfull/seed" 8
    im upload "$work/diskfull/seed"
    [ "$rc" -eq 0 ] || problem "upload before the disk is full: exit $rc: $(tail -n 1 "$err")"
    im thumbnail --size 32 -o "$work/diskfull/" 1
    # Full to the last block, or with a few kB left so that a write fails half-way.
    dd if=/dev/zero of="$small/filler" bs=4k status=none 2>/dev/null || true
    local spare=$((RANDOM % 4 * 16))
    if [ "$spare" -gt 0 ]; then truncate -s "-${spare}K" "$small/filler"; fi
    local blobs
    blobs=$(blob_count "$repo")
    pick_folder "$work/diskfull/in" $((RANDOM % 10 + 2))
    im upload "$work/diskfull/in"
    im upload --thumbnails 64 --fingerprints all "$work/diskfull/in"
    im thumbnail --size $((RANDOM % 100 + 40)) -o "$work/diskfull/" 1 2
    im index --all
    # Reading needs no room.
    for args in "list" "details 1" "get 1 -o $work/diskfull/got" "verify"; do
      # shellcheck disable=SC2086
      im $args
      [ "$rc" -eq 0 ] || problem "imgrepo $args on a full disk (${spare} kB spare): exit $rc: $(tail -n 1 "$err")"
    done
    [ "$(blob_count "$repo")" -ge "$blobs" ] || problem "blobs went from $blobs to $(blob_count "$repo") on a full disk"
    random_ids 2
    im delete "${ids[@]}"
    rm -f "$small/filler"
    verify_clean "disk full round $n (${spare} kB spare), space freed"
    round_end diskfull "$n" "$repo"
  done
  rm -rf "$repo"
  umount "$small" && mounted=
}

# ---------------------------------------------------------------------------------------------
attack_arguments() {
  local repo=$work/arguments/repo n
  export IMGREPO_REPO=$repo
  pick_folder "$work/arguments/seed" 5
  "$imgrepo" upload --quiet "$work/arguments/seed" > /dev/null 2>&1
  local long
  long=$(head -c 100000 /dev/zero | tr '\0' 'x')
  local values=("" "-" "--" "-1" "0" "1" "99999999999999999999999" "1e9" "0x10" "NaN" "abc" "1,2" "../../etc/passwd"
    "/dev/null" "/dev/zero" "/proc/self/mem" "%s%n%x" $'\xff\xfe' $'line\nbreak' $'\t' "$long" "0:0" "1x0" "0x0"
    "100%" "200%" "-5%" "sqlite:" "mysql://" "sqlite:/nonexistent/x.sqlite" "name = 'x'" "*" "[" "1..-1")
  local commands=(upload get delete list details thumbnail stats verify index similar duplicates migrate-catalog rebuild-catalog init)
  local options=(--repo --database --size --fit --limit --offset --sort --where --format --fields --sample --max-pixels
    --quality --max-depth --from-file --name --owner --to --tz --distance --by --dedup --thumbnails --fingerprints -o)
  # Relative paths among the values land in the temp folder.
  cd "$work/arguments"
  for ((n = 1; n <= rounds; n++)); do
    elapsed_out && break
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
      local cmd=${commands[$((RANDOM % ${#commands[@]}))]} argv=()
      argv+=("$cmd")
      local k
      for ((k = RANDOM % 4; k > 0; k--)); do
        [ $((RANDOM % 2)) -eq 0 ] && argv+=("${options[$((RANDOM % ${#options[@]}))]}")
        argv+=("${values[$((RANDOM % ${#values[@]}))]}")
      done
      # Commands that would change the repository act on a copy of it.
      case $cmd in upload|delete|init|migrate-catalog|rebuild-catalog|verify)
        rm -rf "$work/arguments/copy"; cp -a "$repo" "$work/arguments/copy"; argv+=(--repo "$work/arguments/copy") ;;
      esac
      local longest=0 a
      for a in "${argv[@]}"; do [ ${#a} -le "$longest" ] || longest=${#a}; done
      line_limit=$((4096 + longest))
      im "${argv[@]}"
      line_limit=4096
    done
    round_end arguments "$n" "$repo"
  done
  cd - > /dev/null
}

# ---------------------------------------------------------------------------------------------
attack_catalogue() {
  local n
  for ((n = 1; n <= rounds; n++)); do
    elapsed_out && break
    local repo=$work/catalogue/repo-$n count=$((RANDOM % 6 + 3))
    export IMGREPO_REPO=$repo
    rm -rf "$repo"
    mkdir -p "$work/catalogue/seed-$n"
    cp "${pool[@]:$((RANDOM % 200)):$count}" "$work/catalogue/seed-$n/"
    im upload "$work/catalogue/seed-$n"
    local blobs
    blobs=$(blob_count "$repo")
    [ "$blobs" -eq "$count" ] || problem "uploaded $count images, $blobs blobs"
    local scenario=$(( (n - 1) % 4 )) extra=() rebuild=(rebuild-catalog) what
    case $scenario in
      0) what="catalog.sqlite* removed"; rm -f "$repo"/catalog.sqlite* ;;
      1) what="catalog.sqlite emptied"; rm -f "$repo"/catalog.sqlite-*; truncate -s 0 "$repo/catalog.sqlite" ;;
      2) what="--database sqlite:typo.sqlite"; extra=(--database sqlite:typo.sqlite) ;;
      3)
        what="config removed after migrate-catalog"
        im migrate-catalog --to sqlite:moved.sqlite
        [ "$rc" -eq 0 ] || problem "migrate-catalog: exit $rc: $(tail -n 1 "$err")"
        rm -f "$repo/config"
        rebuild=(rebuild-catalog --database sqlite:moved.sqlite)
        ;;
    esac
    local listing
    listing=$(ls -A "$repo" | grep -v '^lock$' | sort | tr '\n' ' ')
    for args in "list" "upload $work/pool/$(basename "${pool[$((RANDOM % ${#pool[@]}))]}")" "verify --repair" \
                "verify --repair --force" "verify --repair --drop-missing --force" "thumbnail 1 -o $work/catalogue/t.jpg"; do
      # shellcheck disable=SC2086
      im $args "${extra[@]}"
      [ "$rc" -eq 69 ] || problem "$what: imgrepo $args exits $rc, not 69: $(tail -n 1 "$err")"
      [ "$(blob_count "$repo")" -ge "$blobs" ] || problem "$what: imgrepo $args: blobs went from $blobs to $(blob_count "$repo")"
      [ "$(ls -A "$repo" | grep -v '^lock$' | sort | tr '\n' ' ')" = "$listing" ] ||
        problem "$what: imgrepo $args created: $(ls -A "$repo" | tr '\n' ' ') (was $listing)"
    done
    [ ! -e "$repo/typo.sqlite" ] || problem "$what: typo.sqlite was created"
    [ "$scenario" -ne 1 ] || [ ! -s "$repo/catalog.sqlite" ] || problem "$what: the emptied catalogue was written"
    im "${rebuild[@]}"
    [ "$rc" -eq 0 ] || problem "$what: imgrepo ${rebuild[*]}: exit $rc: $(tail -n 1 "$err")"
    [ "$(list_count)" = "$count" ] || problem "$what: after rebuild-catalog, list --count is $(list_count), not $count"
    verify_clean "$what, after rebuild-catalog"
    round_end catalogue "$n" "$repo"
    rm -rf "$repo" "$work/catalogue/seed-$n"
  done
}

total_started=$SECONDS
for attack in "${attacks[@]}"; do
  started=$SECONDS
  before_passed=$passed before_failed=$failed
  "attack_$attack"
  echo "torture: $attack: $((passed - before_passed)) passed, $((failed - before_failed)) failed in $((SECONDS - started)) s" >&2
done
echo "torture: $((SECONDS - total_started)) s, seed $seed" >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
