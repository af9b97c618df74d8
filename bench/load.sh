#!/usr/bin/env bash
# Load benchmark of the local product (not part of `mvn verify`).
#
#   mvn -o -B -q -pl launcher -am package -DskipTests   # a fresh launcher jar; this script builds nothing
#   bench/load.sh            start the local product (as bin/openkyc local starts it: bench/lib.sh) in
#                            $BENCH_HOME on its own ports, measure, stop it; prints a table and writes
#                            everything to $BENCH_HOME/results/
#
# What it measures, all in one run so the figures can be compared:
#   - gRPC health (grpc.health.v1.Health/Check), the reference: every other figure is also printed as a
#     ratio to it, which survives a noisy machine better than req/s alone;
#   - GetStatus (KycService/GetStatus) over gRPC (ghz) and over the HTTPS gateway, HTTP/2 (h2load,
#     GET /api/web/kycService/status/{id}) at 1, 16 and 64 concurrent calls;
#   - POST /api/web/kycService/submit over HTTPS and KycService/Submit over gRPC at 16;
#   - the list GET /v2/submission with each filter at 8 concurrent calls, with 10^5 and then 10^6 cases in
#     the tenant (seeded by bench/SeedCases.java, rows as the submit call writes them: each case sealed with
#     its own key, its key wrapped by the product's master key, blind indexes of user id and e-mail);
#   - the CPU each call costs (ms of CPU time per request over each timed run, from /proc): the product's
#     JVM, within it the gateway's and the server's threads, and MariaDB (bench/cpu.py);
#   - the peak resident memory (VmHWM) of the product's JVM and of its MariaDB.
#
# Settings (environment): BENCH_HOME (data-bench), BENCH_GATEWAY_PORT (18443), BENCH_GRPC_PORT (19090),
# BENCH_DB_PORT (13307), BENCH_SECONDS (10, per measurement), BENCH_WARMUP_SECONDS (3),
# BENCH_CASES ("100000 1000000": list measurements at these case counts; "" skips them),
# BENCH_JAVA_OPTS (passed to the product as OPENKYC_JAVA_OPTS when set), BENCH_JFR=1 (record a JFR
# profile of the product to $BENCH_HOME/results/product.jfr), BENCH_JOURNEY=1 (first run the KYC journeys
# of launcher/.../JourneyBenchmark against the product, through Maven, and record its peak memory then;
# with BENCH_LOAD=0 only that), BENCH_PARTS ("status submit lists": which measurements run),
# BENCH_LIST_FILTERS (the names of the list filters to measure, default all), BENCH_STATUS_CONCURRENCY
# ("1 16 64"), BENCH_LIST_WARMUP_PASSES (1: unmeasured passes over the list filters before they are measured),
# BENCH_STATUS_WARMUP_SECONDS (120: unmeasured GetStatus load through the gateway, then 15 s over gRPC, before
# the status measurements), BENCH_SUBMIT_WARMUP_SECONDS (60: unmeasured submits, half through the gateway and
# half over gRPC, before the submit measurements).
# The product runs with OPENKYC_RATE_LIMIT_PER_SECOND=0: the per-tenant rate limit (200/s by default)
# would otherwise be what is measured. The tools come from bench/tools.sh (ghz from the Go module proxy,
# h2load from Debian's nghttp2-client), cached in .cache/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
{ # the whole script is read before it runs: editing it during a run does not derail that run

bench/tools.sh
export PATH="$root/.cache/bin:$PATH"

home="${BENCH_HOME:-data-bench}"
gw_port="${BENCH_GATEWAY_PORT:-18443}"
grpc_port="${BENCH_GRPC_PORT:-19090}"
db_port="${BENCH_DB_PORT:-13307}"
secs="${BENCH_SECONDS:-10}"
warm="${BENCH_WARMUP_SECONDS:-3}"
cases="${BENCH_CASES-100000 1000000}"
parts=" ${BENCH_PARTS:-status submit lists} "
status_c="${BENCH_STATUS_CONCURRENCY:-1 16 64}"
list_filters=" ${BENCH_LIST_FILTERS:-none submission_id userid email applicant_id date_range kyc_result request_type result_and_dates userid_and_result} "
mkdir -p "$home"
home="$(cd "$home" && pwd)"
out="$home/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
url="https://localhost:$gw_port"
grpc="127.0.0.1:$grpc_port"

# --- descriptors for ghz (no server reflection needed) -----------------------------------------------
protoset="$root/.cache/bench/openkyc.protoset"
if [ ! -s "$protoset" ] || [ -n "$(find proto/src/main/proto -newer "$protoset" -print -quit)" ]; then
  m2="${M2_REPO:-$HOME/.m2/repository}"
  protoc=$(ls "$m2"/com/google/protobuf/protoc/*/protoc-*-linux-x86_64.exe | sort -V | tail -1)
  inc="$root/.cache/bench/include"
  mkdir -p "$inc"
  (cd "$inc" && unzip -oq "$(ls "$m2"/com/google/api/grpc/proto-google-common-protos/*/proto-google-common-protos-*.jar | grep -v sources | sort -V | tail -1)" 'google/*' \
     && unzip -oq "$(ls "$m2"/com/google/protobuf/protobuf-java/*/protobuf-java-*.jar | grep -v sources | sort -V | tail -1)" 'google/protobuf/*.proto' \
     && unzip -oq "$(ls "$m2"/io/grpc/grpc-services/*/grpc-services-*.jar | grep -v sources | sort -V | tail -1)" 'grpc/health/v1/health.proto')
  chmod +x "$protoc"
  "$protoc" -I proto/src/main/proto -I "$inc" --include_imports --descriptor_set_out="$protoset" \
    $(cd proto/src/main/proto && find . -name '*.proto' | sed 's|^\./||') grpc/health/v1/health.proto
fi

# --- the product -----------------------------------------------------------------------------------
# shellcheck source=bench/lib.sh
. bench/lib.sh
jfr_opts=""
if [ "${BENCH_JFR:-0}" = 1 ]; then
  jfr_opts="-XX:StartFlightRecording=filename=$out/product.jfr,settings=profile,dumponexit=true"
fi
[ -n "${BENCH_JAVA_OPTS:-}" ] && export OPENKYC_JAVA_OPTS="$BENCH_JAVA_OPTS"
product_log="$out/product.log"
product_start "$home" "$gw_port" "$grpc_port" "$db_port" "$jfr_opts"
key=$product_key
java_pid=$product
db_pid=$product_db_pid
cert=$product_cert
mysql=("$home/mariadb/base/bin/mariadb" -h127.0.0.1 -P"$db_port" -uroot openkyc)

# --- helpers ------------------------------------------------------------------------------------------
results="$out/results.tsv"
printf 'what\tconcurrency\treq_per_s\tp50_ms\tp99_ms\tnon_2xx\tcpu_ms\tgateway_ms\tserver_ms\ttransport_ms\tdb_ms\n' > "$results"
cpu_snap() { python3 "$root/bench/cpu.py" snap "$java_pid" "$db_pid" > "$1"; }

# ghz_for SECONDS CONCURRENCY CALL DATA [extra ghz args]: one connection, calls of the product's protoset.
ghz_for() {
  local s=$1 c=$2 call=$3 data=$4; shift 4
  ghz --insecure --protoset "$protoset" --call "$call" -d "$data" -c "$c" --connections 1 -z "${s}s" "$@" "$grpc"
}

# ghz NAME CONCURRENCY CALL DATA [extra ghz args]
run_ghz() {
  local name=$1 c=$2 call=$3 data=$4; shift 4
  local json="$out/$name-c$c.json"
  ghz_for "$warm" "$c" "$call" "$data" "$@" > /dev/null 2>&1 || true
  cpu_snap "$out/cpu-before"
  ghz_for "$secs" "$c" "$call" "$data" -O json "$@" > "$json" 2>/dev/null || true
  cpu_snap "$out/cpu-after"
  python3 - "$json" "$name" "$c" "$root/bench/cpu.py" "$out/cpu-before" "$out/cpu-after" >> "$results" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
p = {d["percentage"]: d["latency"] for d in r.get("latencyDistribution") or []}
# Calls cut by ghz itself when the timed run ends (its connection closed under them) are not errors.
bad = sum(v for k, v in (r.get("errorDistribution") or {}).items()
          if "closed network connection" not in k and "context canceled" not in k.lower()
          and "client connection is closing" not in k)
import subprocess
cpu = subprocess.run(["python3", sys.argv[4], "diff", sys.argv[5], sys.argv[6], str(r.get("count", 0))],
                     capture_output=True, text=True).stdout.strip()
print(f'{sys.argv[2]}\t{sys.argv[3]}\t{r["rps"]:.0f}\t{p.get(50, 0) / 1e6:.1f}\t{p.get(99, 0) / 1e6:.1f}\t{bad}\t{cpu}')
EOF
}

# h2load NAME CONCURRENCY URL [extra h2load args]: HTTP/2 over TLS, at most 8 connections, the rest as
# concurrent streams on them; percentiles from h2load's per-request log.
run_h2() {
  local name=$1 c=$2 target=$3; shift 3
  local conns=$(( c < 8 ? c : 8 ))
  local streams=$(( (c + conns - 1) / conns ))
  local reqlog="$out/$name-c$c.log"
  h2load -c "$conns" -m "$streams" -D "$warm" -H "x-api-key: $key" "$@" "$target" > /dev/null 2>&1 || true
  cpu_snap "$out/cpu-before"
  h2load -c "$conns" -m "$streams" -D "$secs" -H "x-api-key: $key" --log-file="$reqlog" "$@" "$target" \
      > "$out/$name-c$c.txt" 2>&1 || true
  cpu_snap "$out/cpu-after"
  python3 - "$reqlog" "$name" "$c" "$secs" "$root/bench/cpu.py" "$out/cpu-before" "$out/cpu-after" >> "$results" <<'EOF'
import sys
lat, bad, first, last = [], 0, None, None
for line in open(sys.argv[1]):
    start, status, micros = line.split()[:3]
    lat.append(int(micros))
    if not status.startswith("2"):
        bad += 1
lat.sort()
n = len(lat)
pct = lambda q: lat[min(n - 1, int(q * n))] / 1000 if n else 0
import subprocess
cpu = subprocess.run(["python3", sys.argv[5], "diff", sys.argv[6], sys.argv[7], str(n)],
                     capture_output=True, text=True).stdout.strip()
print(f'{sys.argv[2]}\t{sys.argv[3]}\t{n / float(sys.argv[4]):.0f}\t{pct(0.5):.1f}\t{pct(0.99):.1f}\t{bad}\t{cpu}')
EOF
}

{ echo "started $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  echo "product JVM: $(tr '\0' ' ' < "/proc/$java_pid/cmdline")"
  echo "MALLOC_ARENA_MAX=$(tr '\0' '\n' < "/proc/$java_pid/environ" | sed -n 's/^MALLOC_ARENA_MAX=//p')"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (with changes)')"
} > "$out/context.txt"

# --- the KYC journeys first (optional): the product's peak memory through them ----------------------
if [ "${BENCH_JOURNEY:-0}" = 1 ]; then
  echo "journeys (JourneyBenchmark against this product)" >&2
  mvn -o -B -q -pl launcher -am test -Dtest=JourneyBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dopenkyc.bench.url="$url" -Dopenkyc.bench.key="$key" -Dopenkyc.bench.cert="$cert" \
    -Dopenkyc.bench.pid="$java_pid" > "$out/journey.log" 2>&1 || echo "the journey benchmark failed: $out/journey.log" >&2
  grep -E 'JOURNEY|median|PEAK' "$out/journey.log" > "$out/journey.txt" || true
  { echo "after the journeys:"; vm_status "$java_pid" jvm; [ -n "$db_pid" ] && vm_status "$db_pid" mariadb; } >> "$out/journey.txt" || true
  cat "$out/journey.txt" >&2
  [ "${BENCH_LOAD:-1}" = 0 ] && exit 0
fi

# --- a case to read ---------------------------------------------------------------------------------
profile=$(curl -sS --cacert "$cert" -H "x-api-key: $key" -H 'content-type: application/json' \
  -d '{"userId":"bench_status","country":"SG"}' "$url/api/web/kycService/submit" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["profileId"])')
echo "profile $profile" >&2

health() { run_ghz grpc_health 16 grpc.health.v1.Health.Check '{}'; }

health
if [[ $parts == *" status "* ]] && [ "${BENCH_STATUS_WARMUP_SECONDS:-120}" -gt 0 ]; then
  # Unmeasured load first: the JIT compiles the status path (gateway and server) for about a minute of load,
  # a third of a core at first; 3 s before each measurement left most of that inside the measured runs.
  h2load -c 8 -m 8 -D "${BENCH_STATUS_WARMUP_SECONDS:-120}" -H "x-api-key: $key" \
    "$url/api/web/kycService/status/$profile" > /dev/null 2>&1 || true
  ghz_for 15 64 openkyc.kyc.v1.KycService.GetStatus "{\"profile_id\":\"$profile\"}" \
    --metadata "{\"x-api-key\":\"$key\"}" > /dev/null 2>&1 || true
fi
for c in $status_c; do
  [[ $parts == *" status "* ]] || break
  run_ghz grpc_getstatus "$c" openkyc.kyc.v1.KycService.GetStatus "{\"profile_id\":\"$profile\"}" \
    --metadata "{\"x-api-key\":\"$key\"}"
  run_h2 rest_getstatus "$c" "$url/api/web/kycService/status/$profile"
done
if [[ $parts == *" submit "* ]]; then
  printf '{"userId":"bench_submit","country":"SG"}' > "$out/submit.json"
  warm_submit=${BENCH_SUBMIT_WARMUP_SECONDS:-60}
  if [ "$warm_submit" -gt 1 ]; then
    # Unmeasured first, both ways: the JIT compiles the write path for about a minute of load, and without this
    # the first measured (REST) paid for it, at 2-4x the CPU per call of the second.
    h2load -c 8 -m 2 -D $(( warm_submit / 2 )) -H "x-api-key: $key" -H 'content-type: application/json' \
      -d "$out/submit.json" "$url/api/web/kycService/submit" > /dev/null 2>&1 || true
    ghz_for $(( warm_submit / 2 )) 16 openkyc.kyc.v1.KycService.Submit '{"user_id":"bench_submit","country":"SG"}' \
      --metadata "{\"x-api-key\":\"$key\"}" > /dev/null 2>&1 || true
  fi
  run_h2 rest_submit 16 "$url/api/web/kycService/submit" -d "$out/submit.json" -H 'content-type: application/json'
  run_ghz grpc_submit 16 openkyc.kyc.v1.KycService.Submit '{"user_id":"bench_submit","country":"SG"}' \
    --metadata "{\"x-api-key\":\"$key\"}"
  health
fi

# --- list pages at 10^5 and 10^6 cases ----------------------------------------------------------------
tenant=$("${mysql[@]}" -N -e "SELECT id FROM tenants WHERE name = 'demo'")
[[ $parts == *" lists "* ]] || cases=""
for n in $cases; do
  have=$("${mysql[@]}" -N -e "SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = $tenant")
  if [ "$have" -gt $(( n + n / 10 )) ]; then
    echo "skipping the list at $n cases: the tenant already holds $have (use a fresh BENCH_HOME)" | tee -a "$out/seed.txt" >&2
    continue
  fi
  if [ "$have" -lt "$n" ]; then
    echo "seeding $have -> $n cases" >&2
    t0=$(date +%s)
    java -cp "$root/launcher/target/openkyc-launcher-0.1.0-SNAPSHOT.jar" "$root/bench/SeedCases.java" \
      "jdbc:mysql://127.0.0.1:$db_port/openkyc?user=root&rewriteBatchedStatements=true" "$tenant" "$n" \
      "$home/keys/data.key"
    echo "seeded in $(( $(date +%s) - t0 )) s" >&2
    echo "seeded $have -> $n cases in $(( $(date +%s) - t0 )) s" >> "$out/seed.txt"
  fi
  "${mysql[@]}" -e "ANALYZE TABLE kyc_cases" > /dev/null
  # A user, an e-mail, an applicant and a day that exist, from the middle of the table (the personal fields
  # are sealed: read through the API).
  mid=$("${mysql[@]}" -N -e "SELECT public_id FROM kyc_cases WHERE tenant_id = $tenant AND email_bidx IS NOT NULL
      ORDER BY id LIMIT 1 OFFSET $(( n / 4 ))")
  read -r user email applicant day <<< "$(curl -sS --cacert "$cert" -H "x-api-key: $key" \
      "$url/v2/submission?submission_id=$mid" | python3 -c 'import json,sys; i=json.load(sys.stdin)["Items"][0]
print(i["userid"], i["email"], i["applicant_id"], i["created_at"][:10])')"
  sub=$("${mysql[@]}" -N -e "SELECT public_id FROM kyc_cases WHERE tenant_id = $tenant ORDER BY id LIMIT 1 OFFSET $(( n / 3 ))")
  echo "list filters: user $user, email $email, applicant $applicant, day $day, submission $sub" >> "$out/seed.txt"
  queries=("none:" "submission_id:submission_id=$sub" "userid:userid=$user" "email:email=$email"
           "applicant_id:applicant_id=$applicant" "date_range:start_date=$day&end_date=$day"
           "kyc_result:kyc_result=rejected" "request_type:request_type=kyc"
           "result_and_dates:kyc_result=approved&start_date=$day&end_date=$day"
           "userid_and_result:userid=$user&kyc_result=approved")
  # One unmeasured pass over every filter first: the JIT compiles the list path for some tens of seconds,
  # and without it the first filters measured paid for that (a page cost twice the CPU of later ones).
  for (( pass = 0; pass < ${BENCH_LIST_WARMUP_PASSES:-1}; pass++ )); do
    for q in "${queries[@]}"; do
      [[ $list_filters == *" ${q%%:*} "* ]] || continue
      h2load -c 8 -m 1 -D "$warm" -H "x-api-key: $key" "$url/v2/submission?${q#*:}" > /dev/null 2>&1 || true
    done
  done
  for q in "${queries[@]}"; do
    [[ $list_filters == *" ${q%%:*} "* ]] || continue
    run_h2 "list_${n}_${q%%:*}" 8 "$url/v2/submission?${q#*:}"
  done
  health
done

# --- memory -------------------------------------------------------------------------------------------
{ vm_status "$java_pid" jvm; [ -n "$db_pid" ] && vm_status "$db_pid" mariadb; } > "$out/memory.txt" || true

# --- report -------------------------------------------------------------------------------------------
echo "ended $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/context.txt"
# (journey.txt and seed.txt exist only when those parts ran)
cat "$out/context.txt" $(ls "$out/journey.txt" "$out/seed.txt" 2>/dev/null) | tee "$out/report.txt"
python3 - "$results" "$out/memory.txt" <<'EOF' | tee -a "$out/report.txt"
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
health = [float(r[2]) for r in rows if r[0] == "grpc_health"]
ref = sum(health) / len(health) if health else 0
grpc = {(r[0][5:], r[1]): float(r[2]) for r in rows if r[0].startswith("grpc_")}
print(f"gRPC health (reference): {' / '.join(f'{h:.0f}' for h in health)} req/s, mean {ref:.0f}")
print(f"{'what':38} {'c':>3} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7} {'x health':>8} {'x gRPC':>6}"
      f" {'cpu ms/call: jvm':>16} {'gateway':>7} {'server':>7} {'grpc io':>7} {'mariadb':>7}")
for name, c, rps, p50, p99, bad, *cpu in rows:
    if name == "grpc_health":
        continue
    x = f"{float(rps) / ref:.3f}" if ref else "-"
    g = grpc.get((name[5:], c)) if name.startswith("rest_") else None
    vs = f"{float(rps) / g:.2f}" if g else ""
    cpu = (cpu + [""] * 5)[:5]
    print(f"{name:38} {c:>3} {rps:>7} {p50:>7} {p99:>7} {bad:>7} {x:>8} {vs:>6}"
          f" {cpu[0]:>16} {cpu[1]:>7} {cpu[2]:>7} {cpu[3]:>7} {cpu[4]:>7}")
print()
print(open(sys.argv[2]).read(), end="")
EOF
echo "results in $out" >&2
exit
}
