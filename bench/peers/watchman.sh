#!/usr/bin/env bash
# Moov Watchman beside OpenKYC on the screening evaluation set (BENCHMARKS.md,
# "Sanctions screening"). Builds Watchman's server with Go from the module proxy
# (cached under .cache/peers/), runs it on the sample OFAC CSV files with every
# download switched off, queries every item of the evaluation set over its HTTP
# search API, and prints each engine's best F1 over thresholds per category.
# Not part of `mvn verify`. Usage, from the checkout root:
#   bench/peers/watchman.sh            # build if needed, run, compare
#   bench/peers/watchman.sh build      # only build the Watchman binary
# Needs Go (1.22+), gcc (Watchman links SQLite through cgo), Java 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
version="${WATCHMAN_VERSION:-v0.31.3}"
port="${WATCHMAN_PORT:-18084}"
admin_port=$((port + 1))
bin="$root/.cache/peers/watchman-$version"

if [ ! -x "$bin" ]; then
  mkdir -p "$root/.cache/peers"
  dir=$(go mod download -json "github.com/moov-io/watchman@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "go mod download did not serve github.com/moov-io/watchman@$version" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
  cp -r "$dir/." "$work/"
  chmod -R u+w "$work"
  (cd "$work" && CGO_ENABLED=1 go build -o "$bin.tmp" ./cmd/server)
  mv "$bin.tmp" "$bin"
fi
[ "${1:-}" = "build" ] && exit 0

# Only the OFAC files of the sample folder: Watchman reads sdn.csv, alt.csv, add.csv, sdn_comments.csv.
data=$(mktemp -d)
cp sanctions-sample/sdn.csv sanctions-sample/alt.csv sanctions-sample/add.csv sanctions-sample/sdn_comments.csv "$data/"
log="$root/server/target/watchman.log"
mkdir -p "$root/server/target"
(cd "$data" && INITIAL_DATA_DIRECTORY="$data" DATA_REFRESH_INTERVAL=off \
  WITH_US_DPL_LIST=false WITH_EU_SCREENING_LIST=false WITH_UK_CSL_SANCTIONS_LIST=false \
  WITH_UK_SANCTIONS_LIST=false WITH_US_CSL_SANCTIONS_LIST=false DISABLE_WEB_UI=true \
  HTTP_BIND_ADDRESS="127.0.0.1:$port" HTTP_ADMIN_BIND_ADDRESS="127.0.0.1:$admin_port" \
  exec "$bin" >"$log" 2>&1) &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 240); do
  if curl -fs "http://127.0.0.1:$port/search?name=test&limit=1" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "Watchman exited, see $log" >&2; exit 1; }
  sleep 1
done

mvn -o -B -q -pl server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/bench-classpath.txt)"
java -cp "$cp" org.openkyc.server.screening.bench.PeerEval sanctions-sample "http://127.0.0.1:$port" \
  2>"$root/server/target/peer-eval.err" | grep -v " INFO \| DEBUG "
