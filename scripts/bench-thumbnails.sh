#!/usr/bin/env bash
# The thumbnail benchmarks: imgrepo against vipsthumbnail (and ImageMagick for quality), in one
# run on this machine. Called by scripts/bench.sh; on its own:
#
#   scripts/bench-thumbnails.sh PATH/TO/imgrepo PATH/TO/imgrepo-sample DATA_DIR
#
# DATA_DIR holds the batch of JPEGs (bench.sh's 200 × 4000×3000). A 6000×4000 JPEG is made once
# in bench-data/1x6000x4000/. Prints a Markdown table on stdout; talk on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

imgrepo=${1:?usage: scripts/bench-thumbnails.sh IMGREPO IMGREPO_SAMPLE DATA_DIR}
sample=${2:?usage: scripts/bench-thumbnails.sh IMGREPO IMGREPO_SAMPLE DATA_DIR}
data=${3:?usage: scripts/bench-thumbnails.sh IMGREPO IMGREPO_SAMPLE DATA_DIR}
runs=${BENCH_RUNS:-5}
work=${BENCH_TMP:-/tmp/imgrepo-bench}/thumbnails
size=256
cores=$(nproc)
rm -rf "$work"; mkdir -p "$work"

big_dir=bench-data/1x6000x4000
if [ ! -f "$big_dir/.complete" ]; then
  rm -rf "$big_dir"; mkdir -p "$big_dir"
  "$sample" --out "$big_dir" --count 1 --width 6000 --height 4000 --formats jpeg --seed 24
  touch "$big_dir/.complete"
fi
big=$(ls "$big_dir"/*.* | head -n 1)

repo=$work/repo
files=("$data"/*)
count=${#files[@]}
echo "bench-thumbnails: importing $count files and the 24 MP one" >&2
"$imgrepo" upload --repo "$repo" --quiet "${files[@]}" > /dev/null
"$imgrepo" upload --repo "$repo" --quiet "$big" > /dev/null
big_id=$((count + 1))
ids=$(seq -s ' ' 1 "$count")

median() { jq -r ".results[$1].median" "$2"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "bench-thumbnails: batch of $count to ${size} px, both tools on $cores cores" >&2
mkdir -p "$work/ours" "$work/vips"
hyperfine --style none --runs "$runs" --warmup 1 --export-json "$work/batch.json" \
  -n imgrepo "$imgrepo thumbnail --repo $repo --no-cache --size $size -o $work/ours/ $ids" \
  -n vipsthumbnail "printf '%s\\0' ${files[*]} | xargs -0 -P $cores -n $(( (count + cores - 1) / cores )) vipsthumbnail -s $size -o $work/vips/%s.jpg" >&2
batch_ours=$(median 0 "$work/batch.json"); batch_vips=$(median 1 "$work/batch.json")

echo "bench-thumbnails: one 24 MP JPEG, whole process" >&2
hyperfine --style none -N --runs $((runs * 4)) --warmup 2 --export-json "$work/single.json" \
  -n imgrepo "$imgrepo thumbnail --repo $repo --no-cache --size $size -o $work/single-ours.jpg $big_id" \
  -n vipsthumbnail "vipsthumbnail -s $size -o $work/single-vips.jpg $big" >&2
single_ours=$(median 0 "$work/single.json"); single_vips=$(median 1 "$work/single.json")

echo "bench-thumbnails: cache hit against cat of the cached file" >&2
"$imgrepo" thumbnail --repo "$repo" --size "$size" -o "$work/hit.jpg" "$big_id"
cached=$(ls "$repo"/thumbnails/*/* | grep "\.${size}x${size}\." | head -n 1)
# Two floors, linked as imgrepo's release binary is (static Swift runtime, Package.swift's
# releaseStartupLinkFlags): a Swift program that prints one line, and one that does only what a
# hit must (scripts/bench-hit-floor.swift: the id to a hash through the catalogue, then the copy).
link=(-O -static-stdlib -L link/static-libstdc++ -Xlinker --no-export-dynamic)
echo 'print("hello")' > "$work/hello.swift"
swiftc "${link[@]}" "$work/hello.swift" -o "$work/hello" >&2
swiftc "${link[@]}" -I Sources/CSQLite -Xcc -fmodule-map-file=Sources/CSQLite/module.modulemap \
  scripts/bench-hit-floor.swift -o "$work/hit-floor" >&2
cached_name=$(basename "$cached")
"$work/hit-floor" "$repo" "$big_id" ".${cached_name#*.}" | cmp -s - "$cached" \
  || { echo "bench-thumbnails: bench-hit-floor did not copy $cached" >&2; exit 1; }
hyperfine --style none -N --runs 200 --warmup 20 --export-json "$work/hit.json" \
  -n imgrepo "$imgrepo thumbnail --repo $repo --size $size $big_id" \
  -n cat "cat $cached" \
  -n swift-hello "$work/hello" \
  -n hit-floor "$work/hit-floor $repo $big_id .${cached_name#*.}" >&2
hit_ours=$(median 0 "$work/hit.json"); hit_cat=$(median 1 "$work/hit.json")
hello=$(median 2 "$work/hit.json"); hit_floor=$(median 3 "$work/hit.json")

echo "bench-thumbnails: peak memory for the 24 MP thumbnail" >&2
/usr/bin/time -f "%M" -o "$work/peak" "$imgrepo" thumbnail --repo "$repo" --no-cache --size "$size" -o "$work/peak.jpg" "$big_id"
/usr/bin/time -f "%M" -o "$work/peak-vips" vipsthumbnail -s "$size" -o "$work/peak-vips.jpg" "$big"
peak=$(awk '{ printf "%.1f", $1 / 1024 }' "$work/peak"); peak_vips=$(awk '{ printf "%.1f", $1 / 1024 }' "$work/peak-vips")

echo "bench-thumbnails: PSNR against vipsthumbnail's thumbnails" >&2
psnrs=()
for i in $(seq 1 "$count"); do
  name=$(basename "${files[$((i - 1))]}"); name=${name%.*}
  ours=$work/ours/$i-$size.jpg; theirs=$work/vips/$name.jpg
  # compare needs equal sizes; the tools may round the short side differently by a pixel.
  geometry=$(identify -format '%wx%h' "$ours")
  psnr=$(compare -metric PSNR "$ours" \( "$theirs" -resize "${geometry}!" \) null: 2>&1 || true)
  psnrs+=("${psnr%% *}")
done
psnr_min=$(printf '%s\n' "${psnrs[@]}" | sort -g | head -n 1)
psnr_median=$(printf '%s\n' "${psnrs[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')

cat <<MD

### Thumbnails to ${size} px (medians; vipsthumbnail $(vipsthumbnail --vips-version 2>/dev/null | head -n 1 | awk '{ print $NF }'))

| measure | imgrepo | reference | ratio | target |
|---|---|---|---|---|
| batch of $count × 12 MP JPEGs, $cores cores each | $(ms "$batch_ours") ms ($(awk -v s="$batch_ours" -v n="$count" 'BEGIN { printf "%.1f", s * 1000 / n }') ms/image) | \`vipsthumbnail\` via \`xargs -P $cores\`: $(ms "$batch_vips") ms | **$(ratio "$batch_ours" "$batch_vips")×** | ≤ 0.8× |
| one 24 MP JPEG, whole process | $(ms "$single_ours") ms | \`vipsthumbnail\`: $(ms "$single_vips") ms | **$(ratio "$single_ours" "$single_vips")×** | ≤ 1.0× |
| cache hit, whole process | $(ms "$hit_ours") ms | \`cat\` of the cached file: $(ms "$hit_cat") ms | **$(ratio "$hit_ours" "$hit_cat")×** | ≤ 1.5× |
| floor: a Swift "hello", linked as imgrepo is | $(ms "$hello") ms | \`cat\`: $(ms "$hit_cat") ms | $(ratio "$hello" "$hit_cat")× | |
| floor: the least a hit does, in Swift (scripts/bench-hit-floor.swift) | $(ms "$hit_floor") ms | \`cat\`: $(ms "$hit_cat") ms | $(ratio "$hit_floor" "$hit_cat")× | |
| peak memory, 24 MP thumbnail | $peak MiB | \`vipsthumbnail\`: $peak_vips MiB | | < 64 MiB |
| PSNR against vipsthumbnail, $count images | min $psnr_min dB, median $psnr_median dB | | | ≥ 30 dB |
MD
