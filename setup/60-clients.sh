#!/usr/bin/env bash
# Installs what the API clients' code generation and examples need
# (clients/generate.sh, clients/run-example.sh, launcher ClientExamplesIT):
# buf from npm, a Python virtualenv with grpcio and grpcio-tools from PyPI,
# the TypeScript client's packages by `npm ci` from its committed lock file,
# the Go plugins by `go install` and the Go module's dependencies from the Go
# module proxy. Everything is pinned and cached ($OPENKYC_CACHE_DIR, the
# checkout's proto/target and clients/typescript/node_modules, Go's module and
# build caches); a second run installs nothing and takes seconds.
#
# A language whose toolchain (python3, node/npm, go) is missing is skipped with
# a warning here, and its example then fails in ClientExamplesIT saying so.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENKYC_CACHE_DIR="${OPENKYC_CACHE_DIR:-$PWD/.cache}"

langs=()
command -v python3 >/dev/null && langs+=(python) || echo "setup: clients: no python3, the Python client is skipped" >&2
command -v npm >/dev/null && command -v node >/dev/null && langs+=(typescript) \
  || echo "setup: clients: no node/npm, the TypeScript client is skipped" >&2
command -v go >/dev/null && langs+=(go) || echo "setup: clients: no go, the Go client is skipped" >&2

if [ ${#langs[@]} -gt 0 ]; then
  # Installs each language's tools once, generates its code and proves it
  # compiles or imports.
  clients/generate.sh "${langs[@]}"
fi
for lang in "${langs[@]}"; do
  if [ "$lang" = go ]; then
    # Downloads the example's modules and fills Go's build cache, so that the
    # end-to-end test's `go run` compiles in seconds.
    (cd clients/go && go build -mod=readonly -o /dev/null ./cmd/example)
  fi
done
