#!/usr/bin/env python3
"""Where the CPU went in a JFR recording (bench/load.sh with BENCH_JFR=1).

    jfr print --json --events jdk.ExecutionSample product.jfr > samples.json   # or let this script call jfr
    bench/jfr-top.py product.jfr [THREAD_PREFIX ...]

Prints the hottest methods by own samples (top frame) and by inclusive samples (anywhere on the stack),
and the inclusive share of the product's own packages, for the threads whose names start with one of the
prefixes (all threads when none is given; e.g. "armeria-common-worker" for the gateway's event loops,
"openkyc-read" and "openkyc-call" for the server's call threads)."""
import collections
import json
import subprocess
import sys


def main():
    path, prefixes = sys.argv[1], tuple(sys.argv[2:])
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    own, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for e in events:
        v = e["values"]
        thread = (v.get("sampledThread") or {}).get("javaName") or "?"
        if prefixes and not thread.startswith(prefixes):
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        names = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in frames]
        if not names:
            continue
        total += 1
        threads[thread.rstrip("0123456789-")] += 1
        own[names[0]] += 1
        for n in set(names):
            incl[n] += 1
    print(f"{total} samples")
    print("\nthreads:")
    for t, n in threads.most_common(10):
        print(f"  {100 * n / total:5.1f}%  {t}")
    print("\nown time (top frame):")
    for m, n in own.most_common(25):
        print(f"  {100 * n / total:5.1f}%  {m}")
    print("\ninclusive, product code:")
    for m, n in [x for x in incl.most_common() if x[0].startswith("org.openkyc")][:25]:
        print(f"  {100 * n / total:5.1f}%  {m}")
    print("\ninclusive, all:")
    for m, n in incl.most_common(40):
        print(f"  {100 * n / total:5.1f}%  {m}")


if __name__ == "__main__":
    main()
