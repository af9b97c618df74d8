package org.openkyc.server.screening.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openkyc.server.screening.ConsolidatedScreeningListParser;
import org.openkyc.server.screening.IndexedSanctionsScreener;
import org.openkyc.server.screening.OfacSdnParser;
import org.openkyc.server.screening.SanctionsList;
import org.openkyc.server.screening.ScreeningOutcome;
import org.openkyc.server.screening.ScreeningQuery;
import org.openkyc.server.screening.UnConsolidatedParser;

/**
 * JMH: screening latency (sample mode gives p50/p99) and throughput against
 * all three sample lists, cycling through the perturbation set (perturbed
 * listed names and unlisted common names). The list folder comes from the
 * system property {@code openkyc.sanctionsSample}. Run by server/bench.sh.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ScreeningBenchmark {

    private IndexedSanctionsScreener screener;
    private ScreeningQuery[] queries;
    private final AtomicInteger next = new AtomicInteger();

    @Setup
    public void setUp() throws Exception {
        Path dir = Path.of(System.getProperty("openkyc.sanctionsSample", "sanctions-sample"));
        screener = new IndexedSanctionsScreener(Optional.of(dir), 0.92, 0.80, Clock.systemUTC());
        screener.reload();
        List<SanctionsList> lists = List.of(new OfacSdnParser().parse(dir, Instant.now()),
                new UnConsolidatedParser().parse(dir, Instant.now()),
                new ConsolidatedScreeningListParser().parse(dir, Instant.now()));
        queries = PerturbationSet.generate(lists, 250, 7L).stream().map(PerturbationEval::query)
                .toArray(ScreeningQuery[]::new);
    }

    private ScreeningQuery nextQuery() {
        return queries[Math.floorMod(next.getAndIncrement(), queries.length)];
    }

    /** Latency distribution of one screening (run with -t 1). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ScreeningOutcome latency() {
        return screener.screen(nextQuery());
    }

    /** Screenings per second (run with -t 2 for two cores). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public ScreeningOutcome throughput() {
        return screener.screen(nextQuery());
    }
}
