#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is needed, build in release mode,
# import photos into the default SQLite repository (~/.local/share/imgrepo, or $IMGREPO_REPO),
# and list them.
#   scripts/demo.sh              imports 24 sample photos the project generates (with EXIF)
#   scripts/demo.sh ~/Pictures   imports the image files directly inside that folder
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release --static-swift-stdlib --product imgrepo >&2
swift build -c release --static-swift-stdlib --product imgrepo-sample >&2
bin=$(swift build -c release --show-bin-path)

if [ $# -ge 1 ]; then
  shopt -s nullglob nocaseglob
  files=("$1"/*.{jpg,jpeg,png,gif,webp,tif,tiff,bmp,heic,heif,avif})
  [ ${#files[@]} -gt 0 ] || { echo "demo.sh: no image files in $1" >&2; exit 66; }
else
  rm -rf demo-data
  "$bin/imgrepo-sample" --out demo-data --count 24 --width 1600 --height 1200
  files=(demo-data/*)
fi

# A rerun finds duplicates, which is a success (exit 0).
"$bin/imgrepo" upload "${files[@]}"
"$bin/imgrepo" list
