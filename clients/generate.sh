#!/usr/bin/env bash
# Generates the OpenKYC API clients from proto/ with buf (clients/<lang>/buf.gen.yaml)
# into clients/<lang>/gen, and proves that each one works:
#   go          protoc-gen-go + protoc-gen-go-grpc, then `go build ./...` in clients/go
#               and the tests of its openkyc package
#   python      grpcio-tools (messages, .pyi stubs, gRPC stubs), then imports every module
#               and runs the tests of the openkyc_client helper
#   typescript  protoc-gen-es (messages + service descriptors for Connect v2), then tsc
#               (type-checks gen/, the client in src/ and its tests, compiles them into dist/),
#               then the client's tests
#
#   clients/generate.sh                  all three
#   clients/generate.sh go python        some
#
# Tools come only from package registries and are cached: buf from npm
# (proto/buf.sh, in proto/target/buf); the Go plugins by `go install` (Go module
# proxy) into $OPENKYC_CACHE_DIR/bin; grpcio-tools from PyPI into a virtualenv
# $OPENKYC_CACHE_DIR/clients/python-venv; protoc-gen-es and tsc from npm into
# clients/typescript/node_modules (npm ci from its lock file). A second run
# installs nothing. Needs: go (1.26+), python3 (3.9+) with venv, node (20+)
# and npm, each only for its language. The Java stubs are the Maven module proto/
# (the Java client: clients/java).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
CACHE="${OPENKYC_CACHE_DIR:-$root/.cache}"
buf="$root/proto/buf.sh"

# Pinned versions. The go.mod of clients/go pins the Go runtime libraries to
# match (google.golang.org/protobuf = protoc-gen-go's version).
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2

log() { echo "generate: $*" >&2; }

need() {
  command -v "$1" >/dev/null || { log "$1 is needed to generate the $2 client"; exit 1; }
}

# go_tool PACKAGE VERSION NAME: $CACHE/bin/NAME built from PACKAGE@VERSION,
# unless the one there already says that version.
go_tool() {
  local pkg=$1 version=$2 name=$3 bin="$CACHE/bin/$3"
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -qF "${version#v}"; then
    return
  fi
  log "installing $pkg@$version into $CACHE/bin"
  mkdir -p "$CACHE/bin"
  GOBIN="$CACHE/bin" go install "$pkg@$version"
}

gen_go() {
  need go Go
  go_tool google.golang.org/protobuf/cmd/protoc-gen-go "$PROTOC_GEN_GO_VERSION" protoc-gen-go
  go_tool google.golang.org/grpc/cmd/protoc-gen-go-grpc "$PROTOC_GEN_GO_GRPC_VERSION" protoc-gen-go-grpc
  PATH="$CACHE/bin:$PATH" "$buf" generate --template clients/go/buf.gen.yaml
  # -mod=readonly: the committed go.mod/go.sum must already cover the code.
  (cd clients/go && go build -mod=readonly ./... && go test -mod=readonly -count=1 ./openkyc >&2)
  log "go: clients/go/gen generated; go build ./... and the openkyc package's tests passed"
}

gen_python() {
  need python3 Python
  local venv="$CACHE/clients/python-venv" req=clients/python/requirements.txt
  if ! cmp -s "$req" "$venv/openkyc-requirements.txt" 2>/dev/null; then
    log "installing $req into $venv"
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$venv/openkyc-requirements.txt"
  fi
  PATH="$venv/bin:$PATH" "$buf" generate --template clients/python/buf.gen.yaml
  # Import every generated module, as a user of the client would.
  (cd clients/python/gen && "$venv/bin/python" - <<'PY'
import importlib
import pathlib

modules = sorted(
    ".".join(p.with_suffix("").parts) for p in pathlib.Path(".").rglob("*.py")
)
for name in modules:
    importlib.import_module(name)
if not modules:
    raise SystemExit("no module was generated")
print(f"generate: python: imported {len(modules)} modules", flush=True)
PY
  ) >&2
  # The tests of the openkyc_client helper.
  PYTHONPATH="clients/python/gen:clients/python/src" "$venv/bin/python" -m unittest discover -q \
    -s clients/python/tests >&2
  log "python: clients/python/gen generated; every module imports; the helper's tests passed"
}

gen_typescript() {
  need npm TypeScript
  local dir=clients/typescript
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.openkyc-package-lock.json" 2>/dev/null; then
    log "installing $dir/package-lock.json (npm ci)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
    cp "$dir/package-lock.json" "$dir/node_modules/.openkyc-package-lock.json"
  fi
  PATH="$root/$dir/node_modules/.bin:$PATH" "$buf" generate --template "$dir/buf.gen.yaml"
  # Type-checks gen/ and src/ and compiles them into dist/ (what Node runs).
  (cd "$dir" && node_modules/.bin/tsc -p . && node --test dist/test/ >&2)
  log "typescript: clients/typescript/gen generated; tsc passed, dist/ built, the client's tests passed"
}

langs=("$@")
if [ ${#langs[@]} -eq 0 ]; then
  langs=(go python typescript)
fi
for lang in "${langs[@]}"; do
  case "$lang" in
    go) gen_go ;;
    python) gen_python ;;
    typescript | ts) gen_typescript ;;
    *) log "unknown language '$lang' (go, python, typescript)"; exit 2 ;;
  esac
done
