#!/usr/bin/env bash
# Resident memory of the local product through the KYC journeys (not part of `mvn verify`).
#
#   mvn -o -B -q -pl launcher -am package -DskipTests   # a fresh launcher jar; this script builds nothing
#   bench/memory.sh
#
# Starts the local product the way bin/openkyc local does (same JVM options and malloc settings, read from
# bin/openkyc, so a change there is what is measured; OPENKYC_JAVA_OPTS / MALLOC_* in the environment replace
# them), on ports of its own in $BENCH_HOME (target/bench-memory), runs launcher's JourneyBenchmark against it
# through the HTTPS gateway, and samples the resident memory (`ps -o rss`) of the product's JVM and of its
# mariadbd every second. Prints the peaks (and the kernel's VmHWM) and writes the samples to
# $BENCH_HOME/rss.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
home="${BENCH_HOME:-target/bench-memory}"
gw_port="${BENCH_GATEWAY_PORT:-18453}"
grpc_port="${BENCH_GRPC_PORT:-19095}"
db_port="${BENCH_DB_PORT:-13317}"
jar=launcher/target/openkyc-launcher-0.1.0-SNAPSHOT.jar
[ -f "$jar" ] || { echo "no $jar: mvn -o -B -q -pl launcher -am package -DskipTests" >&2; exit 1; }
mkdir -p "$home/tmp"
home="$(cd "$home" && pwd)"
log="$home/product.log"

# The options of bin/openkyc local, unless given.
default_opts=$(sed -n 's/.*OPENKYC_JAVA_OPTS:-\([^}]*\)}.*/\1/p' bin/openkyc | head -1)
opts="${OPENKYC_JAVA_OPTS:-$default_opts}"
while read -r var; do
  value=$(sed -n "s/.*export $var=\"\${$var:-\([^}]*\)}\".*/\1/p" bin/openkyc | head -1)
  [ -n "$value" ] && [ -z "${!var:-}" ] && export "$var=$value"
done < <(grep -o 'export MALLOC_[A-Z_]*' bin/openkyc | sed 's/export //' | sort -u)

# shellcheck disable=SC2086 # the options are words
OPENKYC_HOME="$home" OPENKYC_GATEWAY_PORT="$gw_port" OPENKYC_GRPC_PORT="$grpc_port" \
  OPENKYC_LOCAL_DB_PORT="$db_port" OPENKYC_RATE_LIMIT_PER_SECOND=0 OPENKYC_MANAGEMENT_PORT=0 \
  OPENKYC_GATEWAY_MANAGEMENT_PORT=0 \
  setsid java $opts -Djava.io.tmpdir="$home/tmp" -jar "$jar" > "$log" 2>&1 &
product=$!
sampler=""
stop() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  if kill -0 "$product" 2>/dev/null; then
    kill -TERM "$product" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$product" 2>/dev/null || break; sleep 1; done
  fi
}
trap stop EXIT
echo "starting the product (log: $log)" >&2
for _ in $(seq 1 600); do
  grep -q 'demo admin key' "$log" && break
  kill -0 "$product" 2>/dev/null || { tail -30 "$log" >&2; echo "the product did not start" >&2; exit 1; }
  sleep 1
done
key=$(sed -n 's/.*demo client key: *//p' "$log" | tail -1)
db_pid=$(pgrep -P "$product" -f mariadbd | head -1 || true)
echo "JVM options: $opts; $(env | grep '^MALLOC_' | tr '\n' ' ')" | tee "$home/context.txt" >&2
rss() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || echo 0; }
printf 'time\tjvm_kb\tmariadb_kb\n' > "$home/rss.tsv"
( while kill -0 "$product" 2>/dev/null; do
    printf '%s\t%s\t%s\n' "$(date +%s)" "$(rss "$product")" "$( [ -n "$db_pid" ] && rss "$db_pid" || echo 0)"
    sleep 1
  done >> "$home/rss.tsv" ) &
sampler=$!
echo "after start: jvm $(( $(rss "$product") / 1024 )) MB, mariadb $(( $( [ -n "$db_pid" ] && rss "$db_pid" || echo 0) / 1024 )) MB" \
  | tee -a "$home/context.txt" >&2
mvn -o -B -q -pl launcher -am test -Dtest=JourneyBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.skip=true \
  -Dopenkyc.bench.url="https://localhost:$gw_port" -Dopenkyc.bench.key="$key" \
  -Dopenkyc.bench.cert="$home/tls/cert.pem" -Dopenkyc.bench.pid="$product" > "$home/journey.log" 2>&1 \
  || { echo "the journey benchmark failed: $home/journey.log" >&2; exit 1; }
grep -E 'JOURNEY|median|PEAK' "$home/journey.log" >&2 || true
sleep 2
python3 - "$home/rss.tsv" <<'PY'
import sys
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n')[1:] if l]
jvm = max(int(r[1] or 0) for r in rows) // 1024
db = max(int(r[2] or 0) for r in rows) // 1024
total = max(int(r[1] or 0) + int(r[2] or 0) for r in rows) // 1024
print(f"PEAK RSS (ps, 1 s samples, {len(rows)}): jvm {jvm} MB, mariadb {db} MB, sum at the same time {total} MB")
PY
