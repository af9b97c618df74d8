#!/usr/bin/env bash
# Screening benchmarks (BENCHMARKS.md): the perturbation-set evaluation (index
# build time and memory, single-threaded latency percentiles, precision and
# recall per threshold) and the JMH benchmarks (latency p50/p99 on one thread,
# throughput on two). Not part of `mvn verify`. Usage, from the checkout root:
#   server/bench.sh            # evaluation + JMH (about 3 minutes)
#   server/bench.sh eval       # evaluation only
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/bench-classpath.txt)"
java -cp "$cp" org.openkyc.server.screening.bench.PerturbationEval sanctions-sample 500 2>/dev/null | grep -v ' INFO \| DEBUG '
if [ "${1:-}" != "eval" ]; then
  java -Djmh.ignoreLock=true -Dopenkyc.sanctionsSample=sanctions-sample -cp "$cp" org.openjdk.jmh.Main \
    -jvmArgsAppend -Dopenkyc.sanctionsSample=sanctions-sample -jvmArgsAppend -Dlogback.configurationFile=/dev/null \
    'ScreeningBenchmark.latency' -t 1 -rf text -rff server/target/jmh-latency.txt
  java -Djmh.ignoreLock=true -Dopenkyc.sanctionsSample=sanctions-sample -cp "$cp" org.openjdk.jmh.Main \
    -jvmArgsAppend -Dopenkyc.sanctionsSample=sanctions-sample -jvmArgsAppend -Dlogback.configurationFile=/dev/null \
    'ScreeningBenchmark.throughput' -t 2 -rf text -rff server/target/jmh-throughput.txt
fi
