#!/usr/bin/env bash
# Runs the pinned buf with the given arguments, in the caller's directory:
#   proto/buf.sh lint            (what buf-lint.sh does)
#   proto/buf.sh --version
# Used by buf-lint.sh, buf-breaking.sh (both run by `mvn verify` in this
# module) and clients/generate.sh.
#
# Needs node and npm only: buf comes from the npm registry, pinned to an exact
# version from the lock file below (npm ci), integrity-checked on Linux, and is
# installed once into proto/target/buf. The Buf Schema Registry is never used:
# every proto buf reads is in this repository (buf.yaml).
set -euo pipefail

# To change the version: change it here and in the lock file below, whose
# entries come from `npm install --package-lock-only @bufbuild/buf@<version>`
# in an empty directory.
BUF_VERSION=1.75.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

buf_dir=$here/target/buf
buf_bin=$buf_dir/node_modules/.bin/buf
export BUF_CACHE_DIR="$buf_dir/cache"

# The JS launcher only starts the platform package's native binary; starting
# that directly saves half a second a call (buf-breaking.sh makes many).
resolve_bin() {
  local native
  for native in "$buf_dir"/node_modules/@bufbuild/buf-*/bin/buf; do
    if [ -x "$native" ]; then
      echo "$native"
      return
    fi
  done
  echo "$buf_bin"
}

installed_version() {
  "$(resolve_bin)" --version 2>/dev/null || true
}

# The npm project buf is installed from. The lock file pins the exact packages;
# npm ci installs exactly these, and of the platform packages only the one
# matching this machine. The main package and the Linux x64 / arm64 binaries
# carry their sha512 integrity (the npm registry reachable when this was
# written held no other platform's package); the other platforms' entries pin
# the version only.
write_npm_project() {
  mkdir -p "$buf_dir"
  cat >"$buf_dir/package.json" <<EOF
{
  "name": "openkyc-buf",
  "private": true,
  "dependencies": {
    "@bufbuild/buf": "$BUF_VERSION"
  }
}
EOF
  cat >"$buf_dir/package-lock.json" <<'EOF'
{
  "name": "openkyc-buf",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "openkyc-buf",
      "dependencies": {
        "@bufbuild/buf": "1.75.0"
      }
    },
    "node_modules/@bufbuild/buf": {
      "version": "1.75.0",
      "integrity": "sha512-uMuBCULLDax9/3d5Lo9mea38vuPDv4mrRVE4XfSq3qPcD5UUxlg0RJ9hm84lYCzI3A3lIvLeChxrw9c1RUiD2w==",
      "hasInstallScript": true,
      "license": "Apache-2.0",
      "bin": {
        "buf": "bin/buf",
        "protoc-gen-buf-breaking": "bin/protoc-gen-buf-breaking",
        "protoc-gen-buf-lint": "bin/protoc-gen-buf-lint"
      },
      "engines": {
        "node": ">=12"
      },
      "optionalDependencies": {
        "@bufbuild/buf-darwin-arm64": "1.75.0",
        "@bufbuild/buf-darwin-x64": "1.75.0",
        "@bufbuild/buf-linux-aarch64": "1.75.0",
        "@bufbuild/buf-linux-armv7": "1.75.0",
        "@bufbuild/buf-linux-x64": "1.75.0",
        "@bufbuild/buf-win32-arm64": "1.75.0",
        "@bufbuild/buf-win32-x64": "1.75.0"
      }
    },
    "node_modules/@bufbuild/buf-darwin-arm64": {
      "version": "1.75.0",
      "cpu": [
        "arm64"
      ],
      "license": "Apache-2.0",
      "optional": true,
      "os": [
        "darwin"
      ],
      "engines": {
        "node": ">=12"
      }
    },
    "node_modules/@bufbuild/buf-darwin-x64": {
      "version": "1.75.0",
      "cpu": [
        "x64"
      ],
      "license": "Apache-2.0",
      "optional": true,
      "os": [
        "darwin"
      ],
      "engines": {
        "node": ">=12"
      }
    },
    "node_modules/@bufbuild/buf-linux-aarch64": {
      "version": "1.75.0",
      "integrity": "sha512-eX+XyokzJDqsNIFo8b1O3DBvbnksOozPJX4QVsNn61JqSUtWspyTNeYqwg8lRDancML+bDqZEDFPABjAsVCQGQ==",
      "cpu": [
        "arm64"
      ],
      "license": "Apache-2.0",
      "optional": true,
      "os": [
        "linux"
      ],
      "engines": {
        "node": ">=12"
      }
    },
    "node_modules/@bufbuild/buf-linux-armv7": {
      "version": "1.75.0",
      "cpu": [
        "arm"
      ],
      "license": "Apache-2.0",
      "optional": true,
      "os": [
        "linux"
      ],
      "engines": {
        "node": ">=12"
      }
    },
    "node_modules/@bufbuild/buf-linux-x64": {
      "version": "1.75.0",
      "integrity": "sha512-YGGJAx0lpMCE7aMWjNOJcfoEaG/e+iYHnTC4SZ0P5eS4IffMryA9Z4/bb1m1wNXAEJ8ATFMEZOAk/5x9VE47ig==",
      "cpu": [
        "x64"
      ],
      "license": "Apache-2.0",
      "optional": true,
      "os": [
        "linux"
      ],
      "engines": {
        "node": ">=12"
      }
    },
    "node_modules/@bufbuild/buf-win32-arm64": {
      "version": "1.75.0",
      "cpu": [
        "arm64"
      ],
      "license": "Apache-2.0",
      "optional": true,
      "os": [
        "win32"
      ],
      "engines": {
        "node": ">=12"
      }
    },
    "node_modules/@bufbuild/buf-win32-x64": {
      "version": "1.75.0",
      "cpu": [
        "x64"
      ],
      "license": "Apache-2.0",
      "optional": true,
      "os": [
        "win32"
      ],
      "engines": {
        "node": ">=12"
      }
    }
  }
}
EOF
}

# Installs buf into target/buf unless the pinned version is already there.
# --ignore-scripts: the package's postinstall only swaps its JS launcher for
# the native binary; the launcher works without it.
install_buf() {
  if [ "$(installed_version)" = "$BUF_VERSION" ]; then
    return
  fi
  echo "buf: installing @bufbuild/buf@$BUF_VERSION into $buf_dir"
  rm -rf "$buf_dir"
  write_npm_project
  npm ci --prefix "$buf_dir" --ignore-scripts --no-audit --no-fund --loglevel=error
  if [ "$(installed_version)" != "$BUF_VERSION" ]; then
    echo "buf: could not install buf $BUF_VERSION" >&2
    exit 1
  fi
}

install_buf >&2
exec "$(resolve_bin)" "$@"
