#!/usr/bin/env bash
# SeaweedFS, the S3-compatible object store the tests run against (OPENKYC_BLOB_STORE=s3), and
# Debian's docker-compose, which checks docker-compose.yml offline.
#  - weed: built from the Go module proxy (github.com/seaweedfs/seaweedfs at a pinned commit;
#    Apache-2.0) into $OPENKYC_CACHE_DIR/bin/weed. Needs Go 1.24+; about 6 minutes on 2 cores.
#  - docker-compose: Debian package, installed with apt when missing (needs root, as in CI).
# Idempotent: rebuilt only when the binary is missing or was built from another version.
set -euo pipefail
cache="${OPENKYC_CACHE_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.cache}"
bin="$cache/bin"
SEAWEEDFS_MODULE="github.com/seaweedfs/seaweedfs"
SEAWEEDFS_VERSION="${SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
mkdir -p "$bin"

if [ ! -x "$bin/weed" ] || [ "$(cat "$bin/weed.version" 2>/dev/null)" != "$SEAWEEDFS_VERSION" ]; then
  command -v go >/dev/null || { echo "setup/50-seaweedfs.sh: Go is needed to build SeaweedFS (https://go.dev/dl)" >&2; exit 1; }
  echo "setup: building SeaweedFS $SEAWEEDFS_VERSION into $bin/weed (several minutes)" >&2
  tmp="$(mktemp -d)"
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  # Download the module source (checked against the Go checksum database), then build it from a
  # writable copy: the module cache is read-only.
  (cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION") > "$tmp/module.json"
  src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$tmp/module.json")"
  [ -d "$src" ] || { echo "setup/50-seaweedfs.sh: go mod download gave no source folder" >&2; cat "$tmp/module.json" >&2; exit 1; }
  cp -r "$src" "$tmp/src"
  chmod -R u+w "$tmp/src"
  (cd "$tmp/src" && GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 go build -o "$tmp/weed" ./weed)
  mv "$tmp/weed" "$bin/weed.new"
  mv "$bin/weed.new" "$bin/weed"
  echo "$SEAWEEDFS_VERSION" > "$bin/weed.version"
fi
"$bin/weed" version >/dev/null 2>&1 || { echo "setup/50-seaweedfs.sh: $bin/weed does not run; delete it and run again" >&2; exit 1; }

if ! command -v docker-compose >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends docker-compose >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends docker-compose >&2; }
  else
    echo "setup/50-seaweedfs.sh: docker-compose is missing (apt-get install docker-compose); the compose file check needs it" >&2
    exit 1
  fi
fi
echo "setup: SeaweedFS in $bin/weed, docker-compose $(docker-compose version --short 2>/dev/null)" >&2
