#!/usr/bin/env bash
# Reviewer queue benchmark: one page of the admin list (POST /admin/kyc/list, what the console's queue asks
# for) with 10^6 cases in the tenant. Not part of `mvn verify`.
#
#   bench/queue.sh   start the built local product in $BENCH_HOME on its own ports, seed the demo
#                    tenant to $BENCH_QUEUE_CASES cases (bench/SeedCases.java), give them screening results and unmet
#                    rules as a busy queue holds them, measure pages at 8 concurrent calls, stop it; prints a
#                    table and writes everything to $BENCH_HOME/results/
#
# Measured (20 cases a page): the first page of the pending queue oldest first, the same newest first, a page
# half-way through the pending cases from a cursor, the same page by number (OFFSET, for comparison), by unmet
# rule, by screening result, and with no filter; once each, the first call of a filter combination, which
# counts the matching cases per status before the count is kept (OPENKYC_QUEUE_COUNT_CACHE_SECONDS).
#
# Settings (environment): BENCH_HOME (data-bench-queue), BENCH_GATEWAY_PORT (18543), BENCH_GRPC_PORT (19190),
# BENCH_DB_PORT (13407), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_QUEUE_CASES (1000000).
# The tools come from bench/tools.sh (h2load from Debian's nghttp2-client).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
{ # read whole before it runs

bench/tools.sh
export PATH="$root/.cache/bin:$PATH"

home="${BENCH_HOME:-data-bench-queue}"
gw_port="${BENCH_GATEWAY_PORT:-18543}"
grpc_port="${BENCH_GRPC_PORT:-19190}"
db_port="${BENCH_DB_PORT:-13407}"
secs="${BENCH_SECONDS:-10}"
warm="${BENCH_WARMUP_SECONDS:-3}"
n="${BENCH_QUEUE_CASES:-1000000}"
mkdir -p "$home"
home="$(cd "$home" && pwd)"
out="$home/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
url="https://localhost:$gw_port"

# --- the product -----------------------------------------------------------------------------------
# The built local product (the jar bin/openkyc local runs, with its JVM options and defaults: bench/lib.sh),
# started without a build: build it first with `mvn -o -B -q -pl launcher -am package -DskipTests`.
# shellcheck source=bench/lib.sh
. bench/lib.sh
if [ -n "$(find proto/src server/src gateway/src launcher/src -newer "$product_jar" -print -quit)" ]; then
  echo "bench/queue.sh: $product_jar is older than the sources; measuring it anyway (rebuild to measure them)" >&2
fi
product_log="$out/product.log"
product_start "$home" "$gw_port" "$grpc_port" "$db_port"
key=$(sed -n 's/.*demo admin key: *//p' "$product_log" | tail -1)
[ -n "$key" ] || { echo "no demo admin key in $product_log" >&2; exit 1; }
mysql=("$home/mariadb/base/bin/mariadb" -h127.0.0.1 -P"$db_port" -uroot openkyc)
tenant=$("${mysql[@]}" -N -e "SELECT id FROM tenants WHERE name = 'demo'")

# --- 10^6 cases as a queue holds them ---------------------------------------------------------------
have=$("${mysql[@]}" -N -e "SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = $tenant")
if [ "$have" -lt "$n" ]; then
  echo "seeding $have -> $n cases" >&2
  t0=$(date +%s)
  # Cases as the submit call writes them (sealed with their own keys, blind indexes): bench/SeedCases.java.
  java -cp "$root/$product_jar" "$root/bench/SeedCases.java" \
    "jdbc:mysql://127.0.0.1:$db_port/openkyc?user=root&rewriteBatchedStatements=true" "$tenant" "$n" \
    "$home/keys/data.key"
  # Screening: none before step 2 (incomplete), then 90 % clear, 7 % possible match, 3 % match. Unmet rules:
  # a pending case waits for automatic approval being off and one more reason; a rejected one for its reviewer.
  "${mysql[@]}" -e "UPDATE kyc_cases SET
      aml_result = CASE WHEN status = 'incomplete' THEN NULL WHEN id MOD 100 < 7 THEN 'pending'
                        WHEN id MOD 100 < 10 THEN 'hit' ELSE 'clear' END,
      comment_codes = CASE WHEN status = 'pending' THEN CONCAT('auto_approve_off', CHAR(10),
                        ELT(1 + id MOD 5, 'face_similarity_low', 'liveness_not_passed', 'mrz_not_verified',
                            'document_expired', 'screening_not_clear'))
                      WHEN status = 'rejected' THEN 'rejected_by_reviewer' ELSE NULL END
    WHERE tenant_id = $tenant;
    DELETE FROM kyc_case_unmet_rules WHERE tenant_id = $tenant;
    INSERT INTO kyc_case_unmet_rules (case_id, rule_code, tenant_id, status, created_at)
    SELECT c.id, SUBSTRING_INDEX(SUBSTRING_INDEX(c.comment_codes, CHAR(10), k.n), CHAR(10), -1), c.tenant_id,
           c.status, c.created_at
    FROM kyc_cases c JOIN (SELECT 1 AS n UNION ALL SELECT 2) k
      ON k.n <= 1 + LENGTH(c.comment_codes) - LENGTH(REPLACE(c.comment_codes, CHAR(10), ''))
    WHERE c.tenant_id = $tenant AND c.comment_codes IS NOT NULL;"
  echo "seeded $have -> $n cases in $(( $(date +%s) - t0 )) s" | tee "$out/seed.txt" >&2
fi
"${mysql[@]}" -e "ANALYZE TABLE kyc_cases, kyc_case_unmet_rules, kyc_case_keys" > /dev/null

# --- measurements --------------------------------------------------------------------------------------
results="$out/results.tsv"
printf 'what\tconcurrency\treq_per_s\tp50_ms\tp99_ms\tnon_2xx\n' > "$results"
run_h2() { # NAME BODY: 8 concurrent POSTs of BODY, HTTP/2 over TLS
  local name=$1 body="$out/$1.json" reqlog="$out/$1.log"
  printf '%s' "$2" > "$body"
  h2load -c 8 -m 1 -D "$warm" -H "x-api-key: $key" -H 'content-type: application/json' -d "$body" \
      "$url/admin/kyc/list" > /dev/null 2>&1 || true
  h2load -c 8 -m 1 -D "$secs" -H "x-api-key: $key" -H 'content-type: application/json' -d "$body" \
      --log-file="$reqlog" "$url/admin/kyc/list" > "$out/$name.txt" 2>&1 || true
  python3 - "$reqlog" "$name" "$secs" >> "$results" <<'PY'
import sys
lat, bad = [], 0
for line in open(sys.argv[1]):
    start, status, micros = line.split()[:3]
    lat.append(int(micros))
    bad += not status.startswith("2")
lat.sort()
n = len(lat)
pct = lambda q: lat[min(n - 1, int(q * n))] / 1000 if n else 0
print(f'{sys.argv[2]}\t8\t{n / float(sys.argv[3]):.0f}\t{pct(0.5):.1f}\t{pct(0.99):.1f}\t{bad}')
PY
}
once() { # NAME BODY: one call, its time (the first of a filter combination counts per status)
  printf '%s\t%s ms\n' "$1" "$(curl -sS -o /dev/null -w '%{time_total}' --cacert "$home/tls/cert.pem" \
      -H "x-api-key: $key" -H 'content-type: application/json' -d "$2" "$url/admin/kyc/list" \
      | awk '{printf "%.0f", $1 * 1000}')" >> "$out/first-calls.txt"
}
pending=$("${mysql[@]}" -N -e "SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = $tenant AND status = 'pending'")
# The cursor of the page half-way through the pending cases, newest first (the console builds none: this is
# the token an answer's nextCursor holds there).
read -r at id <<< "$("${mysql[@]}" -N -e "SET time_zone = '+00:00'; SELECT CAST(UNIX_TIMESTAMP(created_at) * 1000 AS UNSIGNED), id
    FROM kyc_cases WHERE tenant_id = $tenant AND status = 'pending'
    ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $(( pending / 2 ))")"
cursor=$(printf 'q1.n.%s.%s' "$at" "$id" | base64 -w0 | tr '+/' '-_' | tr -d '=')
deep_page=$(( pending / 2 / 20 + 1 ))

once first_none '{"limit":20}'
once first_pending '{"status":"pending","oldestFirst":true,"limit":20}'
once first_rule '{"status":"pending","unmetRule":"face_similarity_low","oldestFirst":true,"limit":20}'
once first_screening '{"status":"pending","screening":"pending","oldestFirst":true,"limit":20}'
run_h2 pending_oldest_first '{"status":"pending","oldestFirst":true,"limit":20}'
run_h2 pending_newest_first '{"status":"pending","limit":20}'
run_h2 pending_deep_cursor "{\"status\":\"pending\",\"limit\":20,\"cursor\":\"$cursor\"}"
run_h2 pending_deep_page_number "{\"status\":\"pending\",\"limit\":20,\"page\":$deep_page}"
run_h2 rule_face_similarity_low '{"status":"pending","unmetRule":"face_similarity_low","oldestFirst":true,"limit":20}'
run_h2 screening_possible_match '{"status":"pending","screening":"pending","oldestFirst":true,"limit":20}'
run_h2 no_filter '{"limit":20}'

{ echo "cases in the tenant: $("${mysql[@]}" -N -e "SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = $tenant"),"\
       "pending $pending (deep page: number $deep_page), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (with changes)')"
  cat "$out/seed.txt" 2>/dev/null || true
  echo "first call of a filter combination (counts per status, then kept):"; cat "$out/first-calls.txt"
  column -t -s $'\t' "$results"
} | tee "$out/report.txt"
exit 0
}
