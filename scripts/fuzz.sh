#!/usr/bin/env bash
# make fuzz: libFuzzer (with AddressSanitizer) over the code that reads untrusted bytes:
#   imageprobe  the container walkers (Sources/ImageProbe), Fuzz/ImageProbeFuzz.swift
#   exif        the libexif bridge and summary rules (Sources/ImgrepoExif), Fuzz/ExifFuzz.swift
#
#   scripts/fuzz.sh [imageprobe|exif|all] [SECONDS]     (default: all, 900 s each, in parallel)
#
# SwiftPM cannot link an executable whose main comes from libFuzzer, so the modules are compiled
# here with swiftc, instrumented (-sanitize=fuzzer,address), into .build-fuzz/. Seeds: small
# images made by imgrepo-sample, the EXIF blocks exiftool extracts from them, and the shared
# camera corpus (../shared/corpus) when it exists. Crashes land in .build-fuzz/crashes-NAME/;
# each one found becomes a regression test (Tests/ImageProbeTests, Tests/ImgrepoExifTests).
set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
seconds=${2:-${FUZZ_SECONDS:-900}}
out=.build-fuzz
mkdir -p "$out"
scripts/install-deps.sh test >&2

flags=(-parse-as-library -O -g -sanitize=fuzzer,address -package-name imgrepo -I "$out")
module() { # module NAME SOURCES... : one instrumented object and its .swiftmodule
  local name=$1; shift
  swiftc "${flags[@]}" -wmo -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
    -c "$@" -o "$out/$name.o"
}
echo "fuzz: building instrumented modules" >&2
# zlib and libexif are dlopen'ed by our C loaders (Sources/CLoader), as in imgrepo itself.
zlib=(-I Sources/CZlibLoader/include) exif=(-I Sources/CExifLoader/include)
for loader in CLoader/loader CZlibLoader/zlib CExifLoader/exif; do
  clang -O1 -g -fsanitize=address -I Sources/CLoader/include "${zlib[@]}" "${exif[@]}" \
    -c "Sources/$loader.c" -o "$out/$(basename "$loader").o"
done
module ImageProbe "${zlib[@]}" Sources/ImageProbe/*.swift
module ImgrepoCore "${zlib[@]}" $(find Sources/ImgrepoCore -name '*.swift')
module ImgrepoExif "${exif[@]}" "${zlib[@]}" Sources/ImgrepoExif/*.swift
swiftc "${flags[@]}" "${zlib[@]}" Fuzz/ImageProbeFuzz.swift "$out/ImageProbe.o" "$out/loader.o" "$out/zlib.o" \
  -o "$out/fuzz-imageprobe"
swiftc "${flags[@]}" "${exif[@]}" "${zlib[@]}" Fuzz/ExifFuzz.swift "$out/ImgrepoExif.o" "$out/ImgrepoCore.o" "$out/ImageProbe.o" \
  "$out/loader.o" "$out/zlib.o" "$out/exif.o" -o "$out/fuzz-exif"

echo "fuzz: seeds" >&2
seeds=$out/seeds
if [ ! -f "$seeds/.complete" ]; then
  rm -rf "$seeds"; mkdir -p "$seeds/images" "$seeds/exif"
  swift build --product imgrepo-sample >&2
  "$(swift build --show-bin-path)/imgrepo-sample" --out "$seeds/images" --count 12 --width 64 --height 48 \
    --formats jpeg,png,gif,webp >&2
  if [ -d ../shared/corpus ]; then
    find ../shared/corpus -type f \( -iname '*.jpg' -o -iname '*.tif*' -o -iname '*.heic' -o -iname '*.heif' \) \
      -size -2M -exec cp {} "$seeds/images/" \; 2>/dev/null || true
  fi
  # The Canon CIFF heaps of APP0 segments (PowerShot A5) on their own, for CanonCIFF.parse.
  if command -v python3 > /dev/null; then
    python3 - "$seeds/images" <<'PY' || true
import os, re, sys
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    data = open(os.path.join(folder, name), "rb").read()
    for m in re.finditer(rb"\xff\xe0(..)(?=(II|MM).{4}HEAPJPGM)", data, re.S):
        n = int.from_bytes(m.group(1), "big") - 2
        open(os.path.join(folder, "ciff-" + name + ".bin"), "wb").write(data[m.end():m.end() + n])
PY
  fi
  for f in "$seeds"/images/*; do
    exiftool -b -EXIF "$f" > "$seeds/exif/$(basename "$f").tiff" 2>/dev/null || true
    [ -s "$seeds/exif/$(basename "$f").tiff" ] || rm -f "$seeds/exif/$(basename "$f").tiff"
  done
  touch "$seeds/.complete"
fi

run() { # run NAME SEED-FOLDER
  local name=$1 seedDir=$2
  mkdir -p "$out/corpus-$name" "$out/crashes-$name"
  echo "fuzz: $name for $seconds s" >&2
  "$out/fuzz-$name" "$out/corpus-$name" "$seedDir" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=1048576 -artifact_prefix="$out/crashes-$name/" -print_final_stats=1 > "$out/$name.log" 2>&1
}
status=0
case "$which" in
  imageprobe) run imageprobe "$seeds/images" || status=$? ;;
  exif) run exif "$seeds/exif" || status=$? ;;
  all)
    run imageprobe "$seeds/images" & a=$!
    run exif "$seeds/exif" & b=$!
    wait $a || status=$?
    wait $b || status=$?
    ;;
  *) echo "fuzz.sh: unknown target '$which' (imageprobe, exif, all)" >&2; exit 64 ;;
esac
for log in "$out"/*.log; do
  echo "== $(basename "$log" .log)"
  grep -E "^stat::|Done [0-9]+ runs|ERROR: |SUMMARY: " "$log" || true
done
crashes=$(find "$out"/crashes-* -type f 2>/dev/null | wc -l)
echo "fuzz: $crashes crash/timeout inputs in $out/crashes-*" >&2
[ "$status" -eq 0 ] && [ "$crashes" -eq 0 ]
