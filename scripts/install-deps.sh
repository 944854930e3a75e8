#!/usr/bin/env bash
# Installs the Debian 12 packages imgrepo needs, and nothing when they are already there.
#   scripts/install-deps.sh            build and run: C libraries and pkg-config
#   scripts/install-deps.sh test       + exiftool (the EXIF reference the tests compare against)
#                                        python3 (its tomllib is the TOML reference), GNU time,
#                                        mariadb-server (the MySQL driver's throwaway test server),
#                                        groff-base and man-db (the man pages must render without
#                                        warnings), jq and git (README examples, staleness check)
#   scripts/install-deps.sh bench      + hyperfine and GNU time (the benchmark), the reference tools
#                                        (vipsthumbnail, ImageMagick, exiftool, sqlite3, djpeg)
# Swift itself (6.x) is expected on PATH.
set -euo pipefail

packages=(pkg-config zlib1g-dev libsqlite3-dev libexif-dev libexpat1-dev libgd-dev libjpeg62-turbo-dev libssl-dev libmariadb-dev)
for extra in "$@"; do
  case "$extra" in
    test) packages+=(libimage-exiftool-perl python3 time mariadb-server groff-base man-db jq git make) ;;
    bench) packages+=(hyperfine time sqlite3 libimage-exiftool-perl exif libvips-tools imagemagick jq libjpeg-turbo-progs) ;;
    *) echo "install-deps.sh: unknown set '$extra' (known: test, bench)" >&2; exit 64 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps.sh: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
