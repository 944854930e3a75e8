#!/usr/bin/env bash
# Fails when one of the modules linked into imgrepo references Foundation.
#
#   scripts/check-lean-modules.sh BUILD_DIR      (e.g. "$(swift build --show-bin-path)")
#
# Every module a static binary links adds its protocol conformances to the list the Swift
# runtime scans on every first dynamic cast, and its data and relocations to every start
# (docs/benchmarks.md, "Start-up"). Foundation, with ICU, once crept back in for four maths
# functions (Glibc has them): the data segment went from 2.5 to 38 MB. ArgumentParser imports
# FoundationEssentials itself, which cannot be helped; imgrepo's own modules must not add to it.
set -euo pipefail
build=${1:?usage: scripts/check-lean-modules.sh BUILD_DIR}
modules=(ImageProbe ImgrepoCore ImgrepoSQL ImgrepoSHA512 ImgrepoExif ImgrepoXMP ImgrepoSQLite ImgrepoMySQL ImgrepoCatalogues
         ImgrepoOutput ImgrepoThumbnail imgrepo)
status=0
for module in "${modules[@]}"; do
  objects=("$build/$module.build"/*.o)
  [ -e "${objects[0]}" ] || { echo "check-lean-modules.sh: no objects in $build/$module.build: build first" >&2; exit 66; }
  for object in "${objects[@]}"; do
    # Mangled module names in undefined symbols: 10Foundation, 20FoundationEssentials.
    found=$(nm -u "$object" | grep -oE '(10Foundation|20FoundationEssentials)[0-9A-Z_]' \
      | sed -E 's/^[0-9]+//; s/.$//' | sort -u | tr '\n' ' ') || true
    if [ -n "$found" ]; then
      echo "check-lean-modules.sh: $module ($(basename "$object" .o)) uses ${found% }: see scripts/check-lean-modules.sh" >&2
      status=1
    fi
  done
done
exit $status
