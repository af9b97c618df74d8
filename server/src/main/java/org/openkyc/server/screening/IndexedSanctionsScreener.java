package org.openkyc.server.screening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The screener over the lists of one folder. The index in service sits in an
 * {@link AtomicReference}: a reload parses every list and builds a new index
 * beside it, then swaps it in at once; screenings in flight finish on the
 * index they started with. A list that cannot be parsed is refused with its
 * error and the index in service stays. Optionally a timer reloads when the
 * folder's files change (name, size or modification time).
 */
public final class IndexedSanctionsScreener implements SanctionsScreener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IndexedSanctionsScreener.class);

    private final Optional<Path> dir;
    private final Clock clock;
    private final double threshold;
    private final double reviewFloor;
    private final ScreeningIndex.ReviewEvidence evidence;
    private final List<ListParser> parsers;
    private final AtomicReference<ScreeningIndex> index = new AtomicReference<>();
    private final Object reloading = new Object();
    private volatile String fingerprint = "";
    private volatile ScheduledExecutorService watcher;

    public IndexedSanctionsScreener(Optional<Path> dir, double threshold, double reviewFloor, Clock clock) {
        this(dir, threshold, reviewFloor, ScreeningIndex.DEFAULT_EVIDENCE.queryWeight(),
                ScreeningIndex.DEFAULT_EVIDENCE.listedShare(), clock);
    }

    /**
     * reviewMinWeight, reviewMinListedShare: what a candidate under the
     * threshold needs to be a review rather than clear (the weight of the
     * query's names in close pairs, the share of the listed name's weight in
     * close pairs).
     */
    public IndexedSanctionsScreener(Optional<Path> dir, double threshold, double reviewFloor, double reviewMinWeight,
            double reviewMinListedShare, Clock clock) {
        if (!(reviewFloor > 0 && reviewFloor <= threshold && threshold <= 1)) {
            throw new IllegalArgumentException("need 0 < review floor <= threshold <= 1");
        }
        this.evidence = new ScreeningIndex.ReviewEvidence(reviewMinWeight, reviewMinListedShare);
        this.dir = dir;
        this.clock = clock;
        this.threshold = threshold;
        this.reviewFloor = reviewFloor;
        this.parsers = List.of(new OfacSdnParser(), new UnConsolidatedParser(), new ConsolidatedScreeningListParser());
    }

    /** Loads the lists now if a folder is configured; a failure is logged and leaves screening unavailable. */
    public IndexedSanctionsScreener loadAtStart() {
        if (dir.isPresent()) {
            try {
                reload();
            } catch (DomainException e) {
                log.error("sanctions lists not loaded: {}", e.getMessage());
            }
        } else {
            log.warn("OPENKYC_SANCTIONS_DIR is not set: sanctions screening is unavailable");
        }
        return this;
    }

    /** Checks the folder every {@code seconds} and reloads when its files changed. */
    public void watch(long seconds) {
        if (dir.isEmpty() || seconds <= 0) {
            return;
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sanctions-list-watcher");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(this::reloadIfChanged, seconds, seconds, TimeUnit.SECONDS);
        this.watcher = s;
    }

    /** Reloads when the folder's fingerprint differs from the one last loaded (or refused). */
    public boolean reloadIfChanged() {
        try {
            if (dir.isEmpty() || fingerprint(dir.get()).equals(fingerprint)) {
                return false;
            }
            reload();
            return true;
        } catch (DomainException e) {
            log.error("sanctions lists not reloaded, the lists in service stay: {}", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.error("sanctions list watcher failed: {}", e.getClass().getName());
            return false;
        }
    }

    @Override
    public ScreeningOutcome screen(ScreeningQuery query) {
        ScreeningIndex idx = index.get();
        if (idx == null) {
            throw new DomainException(ErrorCode.UNAVAILABLE, dir.isEmpty()
                    ? "Sanctions screening is not configured on this server (OPENKYC_SANCTIONS_DIR)"
                    : "Sanctions screening is unavailable: no sanctions list could be loaded");
        }
        List<NormalizedName> normalized = new ArrayList<>(query.names().size());
        List<String> shown = new ArrayList<>(query.names().size());
        List<Boolean> reading = new ArrayList<>(query.names().size());
        List<String> texts = new ArrayList<>(query.names().size());
        for (String n : query.names()) {
            NormalizedName nn = NameNormalizer.normalize(n, query.kind());
            normalized.add(nn);
            shown.add(n);
            reading.add(false);
            texts.add(nn.text());
            // A name in Han characters is read as Mandarin by the normaliser and, where it can be, as Korean too.
            Optional<String> korean = HanReadings.korean(n);
            if (korean.isPresent() && query.kind() != EntityKind.ORGANISATION) {
                normalized.add(NameNormalizer.normalize(korean.get(), query.kind()));
                shown.add(n); // the breakdown's account shows the reading's tokens (kim, jong, un)
                reading.add(true);
            }
        }
        boolean[] readings = new boolean[reading.size()];
        for (int i = 0; i < readings.length; i++) {
            readings[i] = reading.get(i);
        }
        List<Candidate> candidates = idx.search(query, shown, normalized, readings, reviewFloor, threshold, evidence);
        double best = candidates.isEmpty() ? 0 : candidates.get(0).score();
        Decision d = best >= threshold ? Decision.HIT : best >= reviewFloor ? Decision.PENDING_REVIEW : Decision.CLEAR;
        return new ScreeningOutcome(idx.versions, texts, candidates, d, threshold, reviewFloor);
    }

    @Override
    public List<ListVersion> versions() {
        ScreeningIndex idx = index.get();
        return idx == null ? List.of() : idx.versions;
    }

    @Override
    public List<ListVersion> reload() {
        if (dir.isEmpty()) {
            throw new DomainException(ErrorCode.UNAVAILABLE,
                    "Sanctions screening is not configured on this server (OPENKYC_SANCTIONS_DIR)");
        }
        synchronized (reloading) {
            Path d = dir.get();
            String print = fingerprint(d);
            Instant now = clock.instant();
            List<SanctionsList> lists = new ArrayList<>();
            // The sources are parsed side by side; the first refusal (in source order) is reported.
            List<CompletableFuture<SanctionsList>> parsing = new ArrayList<>();
            for (ListParser p : parsers) {
                if (!p.files(d).isEmpty()) {
                    parsing.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return p.parse(d, now);
                        } catch (ListFormatException e) {
                            throw new CompletionException(e);
                        }
                    }));
                }
            }
            try {
                for (CompletableFuture<SanctionsList> f : parsing) {
                    lists.add(f.join());
                }
            } catch (CompletionException e) {
                parsing.forEach(f -> f.cancel(false));
                fingerprint = print;
                if (e.getCause() instanceof ListFormatException lfe) {
                    throw new DomainException(ErrorCode.SANCTIONS_LIST_REJECTED,
                            "Sanctions list refused, the lists in service stay: " + lfe.getMessage());
                }
                throw e;
            }
            if (lists.isEmpty()) {
                fingerprint = print;
                throw new DomainException(ErrorCode.SANCTIONS_LIST_REJECTED,
                        "Sanctions list folder holds no known list (sdn.csv, UN_consolidated.xml, csl.csv)");
            }
            ScreeningIndex built = ScreeningIndex.build(lists);
            index.set(built);
            fingerprint = print;
            for (ListVersion v : built.versions) {
                log.info("sanctions list in service: {} sha256={} entries={}", v.source(), v.sha256(), v.entryCount());
            }
            return built.versions;
        }
    }

    static String fingerprint(Path dir) {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                if (Files.isRegularFile(p)) {
                    b.append(p.getFileName()).append(':').append(Files.size(p)).append(':')
                            .append(Files.getLastModifiedTime(p).toMillis()).append(';');
                }
            }
        } catch (IOException e) {
            throw new DomainException(ErrorCode.SANCTIONS_LIST_REJECTED,
                    "Sanctions list folder cannot be read: " + dir.getFileName());
        }
        return b.toString();
    }

    @Override
    public void close() {
        ScheduledExecutorService s = watcher;
        if (s != null) {
            s.shutdownNow();
        }
    }
}
