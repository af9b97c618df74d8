#!/usr/bin/env bash
# Installs the load tools of bench/load.sh, cached under .cache/bin (not part of the product):
#   ghz     gRPC load tool, built from the Go module proxy (needs Go 1.22+)
#   h2load  HTTP/2 load tool over TLS, Debian package nghttp2-client
set -euo pipefail
cd "$(dirname "$0")/.."
GHZ_VERSION="${GHZ_VERSION:-v0.121.0}"
bin="$PWD/.cache/bin"
mkdir -p "$bin"
if [ ! -x "$bin/ghz" ] || [ "$(cat "$bin/ghz.version" 2>/dev/null)" != "$GHZ_VERSION" ]; then
  command -v go >/dev/null || { echo "bench/tools.sh: Go is needed to build ghz (https://go.dev/dl)" >&2; exit 1; }
  echo "building ghz $GHZ_VERSION into $bin" >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION"
  echo "$GHZ_VERSION" > "$bin/ghz.version"
fi
if ! command -v h2load >/dev/null; then
  echo "installing h2load (Debian nghttp2-client)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y -q nghttp2-client >/dev/null
fi
