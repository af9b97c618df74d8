#!/usr/bin/env bash
# Resident memory of the local product through the KYC journeys (not part of `mvn verify`).
#
#   mvn -o -B -q -pl launcher -am package -DskipTests   # a fresh launcher jar; this script builds nothing
#   bench/memory.sh
#
# Starts the local product the way bin/openkyc local does (bench/lib.sh: the same JVM options, malloc settings
# and other defaults, read from bin/openkyc, so a change there is what is measured; OPENKYC_JAVA_OPTS, MALLOC_*
# and those variables in the environment replace them), on ports of its own in $BENCH_HOME
# (target/bench-memory), runs launcher's JourneyBenchmark against it
# through the HTTPS gateway, and samples the resident memory (`ps -o rss`) of the product's JVM and of its
# mariadbd every second. Prints the peaks (and the kernel's VmHWM) and writes the samples to
# $BENCH_HOME/rss.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
{ # the whole script is read before it runs: editing it during a run does not derail that run
home="${BENCH_HOME:-target/bench-memory}"
gw_port="${BENCH_GATEWAY_PORT:-18453}"
grpc_port="${BENCH_GRPC_PORT:-19095}"
db_port="${BENCH_DB_PORT:-13317}"
mkdir -p "$home"
home="$(cd "$home" && pwd)"
# shellcheck source=bench/lib.sh
. bench/lib.sh

product_start "$home" "$gw_port" "$grpc_port" "$db_port"
echo "$product_context" | tee "$home/context.txt" >&2
printf 'time\tjvm_kb\tmariadb_kb\n' > "$home/rss.tsv"
( while kill -0 "$product" 2>/dev/null; do
    printf '%s\t%s\t%s\n' "$(date +%s)" "$(rss "$product")" "$( [ -n "$product_db_pid" ] && rss "$product_db_pid" || echo 0)"
    sleep 1
  done >> "$home/rss.tsv" ) &
product_cleanup+=("kill $!")
echo "after start: jvm $(( $(rss "$product") / 1024 )) MB, mariadb $(( $( [ -n "$product_db_pid" ] && rss "$product_db_pid" || echo 0) / 1024 )) MB" \
  | tee -a "$home/context.txt" >&2
mvn -o -B -q -pl launcher -am test -Dtest=JourneyBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.skip=true \
  -Dopenkyc.bench.url="https://localhost:$gw_port" -Dopenkyc.bench.key="$product_key" \
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
{ vm_status "$product" jvm; [ -n "$product_db_pid" ] && vm_status "$product_db_pid" mariadb; } | grep VmHWM || true
exit
}
