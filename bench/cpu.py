#!/usr/bin/env python3
"""CPU time of the product by part, for CPU per call (bench/load.sh).

  cpu.py snap JAVA_PID [DB_PID] > FILE     per-thread CPU ticks of the JVM (by thread name) and MariaDB's total
  cpu.py diff BEFORE AFTER REQUESTS        ms of CPU per request: the JVM in all, its gateway threads, its server
                                           threads, its gRPC transport threads, MariaDB; tab-separated
  cpu.py names JAVA_PID                    the JVM's threads by CPU, with the part each is counted in

The local product runs the gateway and the server in one JVM: their threads are told apart by name: the
gateway's Armeria event loops and blocking pool; the server's call threads (openkyc-read-N for reads, openkyc-call-N for the rest) and its
own threads; grpc-java's Netty event loops (grpc-default-worker), which carry both the server's transport and
the gateway's upstream calls. The JVM's own threads (JIT compilers, GC) are in the total only. The gateway's
whole cost per call is best read as the REST figure minus the gRPC one.
A thread that ended between the two snapshots is lost with its CPU, which is counted in no part but still
in the JVM total (from the process's own counters).
"""
import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def part(name):
    if name.startswith("armeria") or name.startswith("openkyc-upstrea") or name.startswith("openkyc-gatewa"):
        return "gateway"
    if name.startswith("grpc-default-wo") or name.startswith("grpc-nio-worke"):
        return "transport"
    if name.startswith(("grpc-", "openkyc-", "HikariPool", "MySQL", "mysql-")):
        return "server"
    return "jvm"


def stat(path):
    with open(path) as f:
        s = f.read()
    name = s[s.index("(") + 1:s.rindex(")")]
    fields = s[s.rindex(")") + 2:].split()
    return name, int(fields[11]) + int(fields[12])  # utime + stime


def snap(java_pid, db_pid=None):
    out = {"total": stat(f"/proc/{java_pid}/stat")[1], "threads": {}, "db": 0}
    for tid in os.listdir(f"/proc/{java_pid}/task"):
        try:
            name, t = stat(f"/proc/{java_pid}/task/{tid}/stat")
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        out["threads"][tid] = [name, t]
    if db_pid:
        try:
            out["db"] = stat(f"/proc/{db_pid}/stat")[1]
        except FileNotFoundError:
            pass
    return out


def diff(a, b, requests):
    parts = {"gateway": 0, "server": 0, "transport": 0, "jvm": 0}
    for tid, (name, t) in b["threads"].items():
        before = a["threads"].get(tid, [name, 0])[1]
        parts[part(name)] += t - before
    ms = lambda ticks: ticks * 1000.0 / TICK / max(1, requests)
    return [ms(b["total"] - a["total"]), ms(parts["gateway"]), ms(parts["server"]), ms(parts["transport"]),
            ms(b["db"] - a["db"])]


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        json.dump(snap(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None), sys.stdout)
    elif sys.argv[1] == "names":
        s = snap(sys.argv[2])
        for tid, (name, t) in sorted(s["threads"].items(), key=lambda x: -x[1][1]):
            print(f"{part(name):8} {t:8} {name}")
    else:
        a = json.load(open(sys.argv[2]))
        b = json.load(open(sys.argv[3]))
        print("\t".join(f"{v:.3f}" for v in diff(a, b, int(sys.argv[4]))))
