#!/usr/bin/env bash
# Where the machine's CPU goes while the product is under load, native code included: the JVM's compiled
# Java methods, MariaDB's own functions, the kernel and the load tool, side by side; and how long the
# threads of each process waited for a CPU.
#
#   bench/profile.sh JAVA_PID [SECONDS] [TOP]     # while a load runs (bench/load.sh, or h2load/ghz by hand)
#
# It samples every CPU with perf (Debian: apt-get install linux-perf) at 499 Hz for SECONDS (20), then asks
# the JVM for the names of its compiled methods (jcmd Compiler.perfmap, no restart and no agent; a JFR
# recording started mid-run deoptimizes the hot methods and distorts what it measures). It prints:
#   - the share of all samples per process and, within the JVM, per thread group (gateway event loops,
#     server call threads, GC, compilers);
#   - the TOP (40) hottest symbols of the JVM and of MariaDB, by own samples;
#   - per process, CPU used (/proc/<pid>/stat) and run-queue wait (/proc/<pid>/task/*/schedstat) in cores: a wait of 9 cores
#     means nine of its threads were ready to run and waiting for a CPU, on average, over the run.
# Symbols of methods compiled again during the run may be missing or wrong; the shares of the processes
# and thread groups are exact.
set -euo pipefail

pid=${1:?usage: bench/profile.sh JAVA_PID [SECONDS] [TOP]}
secs=${2:-20}
top=${3:-40}
command -v perf > /dev/null || { echo "perf is needed: apt-get install linux-perf" >&2; exit 1; }
kill -0 "$pid" 2> /dev/null || { echo "no process $pid" >&2; exit 1; }
db=$(pgrep -P "$pid" -f mariadbd | head -1 || true)
out=$(mktemp -d /tmp/openkyc-profile-XXXX)
trap 'rm -rf "$out"' EXIT

# CPU used (the process's own counters, which keep the time of threads that have ended: pooled threads come
# and go) and run-queue wait (summed over the threads alive), in milliseconds.
sched() {
  local ticks
  ticks=$(awk '{sub(/.*\) /, ""); print $12 + $13}' /proc/"$1"/stat)
  cat /proc/"$1"/task/*/schedstat 2> /dev/null \
    | awk -v ms=$(( ticks * 1000 / $(getconf CLK_TCK) )) '{w += $2} END {printf "%d %d", ms, w / 1e6}'
}

java_before=$(sched "$pid")
db_before=$([ -n "$db" ] && sched "$db" || echo "0 0")
perf record -a -F 499 -o "$out/perf.data" -- sleep "$secs" > /dev/null 2>&1
java_after=$(sched "$pid")
db_after=$([ -n "$db" ] && sched "$db" || echo "0 0")
jcmd "$pid" Compiler.perfmap > /dev/null

report() { perf report -i "$out/perf.data" --stdio --no-children "$@" 2> /dev/null | grep -v '^#' | grep -v '^$' || true; }

echo "== share of all samples per process"
perf script -i "$out/perf.data" -F pid 2> /dev/null | awk '{n[$1]++; t++} END {for (p in n) printf "%7.2f%% %s\n", 100 * n[p] / t, p}' \
  | sort -rn | head -8 | while read -r share p; do
      name=$([ "$p" = 0 ] && echo idle || ps -o comm= -p "$p" 2> /dev/null || echo gone)
      printf "%8s  %s %s\n" "$share" "$name" "$p"
    done
echo
echo "== the JVM ($pid) per thread group (share of all samples)"
report --pid "$pid" --sort comm | awk '{n = $2; for (i = 3; i <= NF; i++) n = n " " $i; sub(/[-0-9]+$/, "", n);
  g[n] += $1} END {for (k in g) printf "%7.2f%%  %s\n", g[k], k}' | sort -rn | head -12
echo
echo "== the JVM's hottest symbols (own samples, share of all samples)"
report --pid "$pid" --sort sym | head -"$top" | cut -c1-180
if [ -n "$db" ]; then
  echo
  echo "== MariaDB's ($db) hottest symbols"
  report --pid "$db" --sort sym | head -"$top" | cut -c1-180
fi
echo
echo "== CPU and run-queue wait over the ${secs} s, in cores"
python3 - "$secs" "java $pid" "$java_before" "$java_after" "mariadb ${db:--}" "$db_before" "$db_after" <<'EOF'
import sys
secs = float(sys.argv[1])
for name, before, after in zip(sys.argv[2::3], sys.argv[3::3], sys.argv[4::3]):
    (r0, w0), (r1, w1) = map(int, before.split()), map(int, after.split())
    print(f"{name:18s} ran {(r1 - r0) / 1000 / secs:5.2f}  waited {(w1 - w0) / 1000 / secs:5.2f}")
EOF
