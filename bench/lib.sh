# Shared by bench/memory.sh and bench/load.sh (sourced, not run): start the local product the way
# `bin/openkyc local` starts it, on ports and in a folder of its own, and stop it again.
#
#   product_start HOME GATEWAY_PORT GRPC_PORT DB_PORT [EXTRA_JVM_OPTIONS]
#       Runs launcher/target/openkyc-launcher-0.1.0-SNAPSHOT.jar (built beforehand:
#       mvn -o -B -q -pl launcher -am package -DskipTests; nothing is built or set up here) with the JVM
#       options of bin/openkyc local (OPENKYC_JAVA_OPTS in the environment replaces them) and every
#       `export VAR="${VAR:-default}"` default of bin/openkyc local (malloc settings, the product's limits)
#       unless VAR is set already, plus EXTRA_JVM_OPTIONS. The rate limit and the management ports are off.
#       Waits until the demo keys are printed and sets:
#         product         pid of the product's JVM       product_db_pid  pid of its mariadbd (or empty)
#         product_log     HOME/product.log (unless set)  product_key     the demo client key
#         product_cert    HOME/tls/cert.pem              product_context one line: JVM options and defaults
#       A trap on EXIT stops the product (product_stop).
#   product_stop        SIGTERM, then up to 60 s for the product (and its database) to stop.
#   rss PID             resident memory of a process in KiB (ps), 0 when gone.
#   vm_status PID WHO   VmHWM and VmRSS lines of /proc/PID/status: "WHO<TAB>VmHWM:<TAB>N MB".

product_jar=launcher/target/openkyc-launcher-0.1.0-SNAPSHOT.jar
product=""
product_db_pid=""
product_cleanup=()   # commands product_stop runs first (samplers and the like)

product_start() {
  local home=$1 gw_port=$2 grpc_port=$3 db_port=$4 extra=${5:-}
  [ -f "$product_jar" ] || { echo "no $product_jar: mvn -o -B -q -pl launcher -am package -DskipTests" >&2; exit 1; }
  mkdir -p "$home/tmp"
  home="$(cd "$home" && pwd)"
  product_log="${product_log:-$home/product.log}"
  product_cert="$home/tls/cert.pem"
  # The JVM options and environment defaults of bin/openkyc local, unless given.
  local opts var value defaults=""
  opts=$(sed -n 's/.*OPENKYC_JAVA_OPTS:-\([^}]*\)}.*/\1/p' bin/openkyc | head -1)
  opts="${OPENKYC_JAVA_OPTS:-$opts}${extra:+ $extra}"
  while read -r var; do
    value=$(sed -n "s/.*export $var=\"\${$var:-\([^}]*\)}\".*/\1/p" bin/openkyc | head -1)
    if [ -n "$value" ] && [ -z "${!var:-}" ]; then
      export "$var=$value"
    fi
    defaults="$defaults $var=${!var:-}"
  done < <(sed -n 's/^ *export \([A-Z_][A-Z0-9_]*\)="\${\1:-.*/\1/p' bin/openkyc | sort -u)
  product_context="JVM options: $opts;$defaults"
  # shellcheck disable=SC2086 # the options are words
  OPENKYC_HOME="$home" OPENKYC_GATEWAY_PORT="$gw_port" OPENKYC_GRPC_PORT="$grpc_port" \
    OPENKYC_LOCAL_DB_PORT="$db_port" OPENKYC_RATE_LIMIT_PER_SECOND=0 OPENKYC_MANAGEMENT_PORT=0 \
    OPENKYC_GATEWAY_MANAGEMENT_PORT=0 \
    setsid java $opts -Djava.io.tmpdir="$home/tmp" -jar "$product_jar" > "$product_log" 2>&1 &
  product=$!
  trap product_stop EXIT
  echo "starting the product (log: $product_log)" >&2
  for _ in $(seq 1 600); do
    grep -q 'demo admin key' "$product_log" && break
    kill -0 "$product" 2>/dev/null || { tail -30 "$product_log" >&2; echo "the product did not start" >&2; exit 1; }
    sleep 1
  done
  grep -q 'demo admin key' "$product_log" || { echo "the product did not start in 600 s: $product_log" >&2; exit 1; }
  product_key=$(sed -n 's/.*demo client key: *//p' "$product_log" | tail -1)
  [ -n "$product_key" ] || { echo "no demo key in $product_log" >&2; exit 1; }
  product_db_pid=$(pgrep -P "$product" -f mariadbd | head -1 || true)
}

product_stop() {
  local c
  for c in "${product_cleanup[@]}"; do
    eval "$c" 2>/dev/null || true
  done
  if [ -n "$product" ] && kill -0 "$product" 2>/dev/null; then
    kill -TERM "$product" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$product" 2>/dev/null || break; sleep 1; done
  fi
}

rss() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || echo 0; }

vm_status() { awk -v who="$2" '/^VmHWM|^VmRSS/ {printf "%s\t%s\t%d MB\n", who, $1, $2 / 1024}' "/proc/$1/status"; }
