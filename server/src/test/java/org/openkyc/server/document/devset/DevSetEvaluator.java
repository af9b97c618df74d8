package org.openkyc.server.document.devset;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkyc.server.document.DocumentReader;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.ImageRejectedException;
import org.openkyc.server.document.OpenCvDocumentReader;
import org.openkyc.server.vision.TestVision;

/**
 * Generates the document development set into a folder (images, and manifest.json with every image's
 * truth) and reads each image through the product's {@link DocumentReader}, the path the API takes;
 * writes results-openkyc.json and prints the per-condition table. Run by bench/devset.sh.
 *
 * <p>Usage: DevSetEvaluator [documents per condition, default 15] [folder, default server/target/devset]
 */
public final class DevSetEvaluator {

    /** The reader's clock: fixed, so that the figures do not drift with the date. */
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    /** One image's outcome. */
    record Row(String condition, String file, String layout, Scoring.Outcome outcome, double ms, String status,
            Map<String, String> answered, List<String> wrong, List<String> unsure, String rejected, double cpuMs) {}

    /** CPU time of the whole process (every thread: OpenCV's workers too), in nanoseconds; -1 when unknown. */
    private static long processCpu() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    public static void main(String[] args) throws IOException {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path dir = Path.of(args.length > 1 ? args[1] : "server/target/devset");
        String engine = System.getProperty("devset.engine", "");
        Files.createDirectories(dir);
        List<DevSet.Sample> samples = new ArrayList<>();
        if (Boolean.getBoolean("devset.reuse") && Files.isRegularFile(dir.resolve("manifest.json"))) {
            // The set is deterministic: the images on disk are the ones this seed generates, and each
            // truth is derived again from its document's index.
            JsonObject m = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("manifest.json")))
                    .getAsJsonObject();
            for (var e : m.getAsJsonArray("images")) {
                JsonObject o = e.getAsJsonObject();
                Condition c = java.util.Arrays.stream(Condition.values())
                        .filter(x -> x.label().equals(o.get("condition").getAsString())).findFirst().orElseThrow();
                int index = o.get("document").getAsInt();
                String file = o.get("file").getAsString();
                if (index < documents) {
                    samples.add(new DevSet.Sample(c, index, DevSet.truth(DevSet.SEED, index),
                            new Condition.Image(new byte[0], file.substring(file.lastIndexOf('.') + 1))));
                }
            }
            System.err.printf("devset: %d images reused from %s%n", samples.size(), dir);
        } else {
            generate(documents, dir, engine, samples);
        }
        readAndReport(documents, dir, engine, samples);
    }

    private static void generate(int documents, Path dir, String engine, List<DevSet.Sample> samples)
            throws IOException {
        JsonArray images = new JsonArray();
        long g0 = System.nanoTime();
        DevSet.forEach(DevSet.SEED, documents, s -> {
            Path f = dir.resolve(s.file());
            try {
                Files.createDirectories(f.getParent());
                Files.write(f, s.image().bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            images.add(manifestEntry(s));
            // Keep the truth, not the bytes: they are on disk now.
            samples.add(new DevSet.Sample(s.condition(), s.index(), s.truth(), new Condition.Image(new byte[0],
                    s.image().extension())));
        });
        JsonObject manifest = new JsonObject();
        manifest.addProperty("seed", DevSet.SEED);
        manifest.addProperty("documentsPerCondition", documents);
        manifest.addProperty("engine", engine);
        JsonArray conditions = new JsonArray();
        for (Condition c : Condition.values()) {
            conditions.add(c.label());
        }
        manifest.add("conditions", conditions);
        JsonObject descriptions = new JsonObject();
        for (Condition c : Condition.values()) {
            descriptions.addProperty(c.label(), c.description());
        }
        manifest.add("descriptions", descriptions);
        manifest.add("images", images);
        Files.writeString(dir.resolve("manifest.json"), new GsonBuilder().setPrettyPrinting().create().toJson(manifest));
        System.err.printf("devset: %d images in %s, generated in %.0f s%n", samples.size(), dir,
                (System.nanoTime() - g0) / 1e9);
    }

    private static void readAndReport(int documents, Path dir, String engine, List<DevSet.Sample> samples)
            throws IOException {

        List<Row> rows = new ArrayList<>();
        try (OpenCvDocumentReader reader = new OpenCvDocumentReader(TestVision.config(),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            reader.read(Files.readAllBytes(dir.resolve(samples.get(0).file())));  // warm-up: models loaded
            long t0 = System.nanoTime();
            double load0 = loadAverage();
            for (DevSet.Sample s : samples) {
                byte[] bytes = Files.readAllBytes(dir.resolve(s.file()));
                rows.add(read(reader, s, bytes));
            }
            System.err.printf("devset: read in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            System.out.printf("load average (1 min) at the start of the reads %.1f, at the end %.1f, on %d processors%n",
                    load0, loadAverage(), Runtime.getRuntime().availableProcessors());
        }
        JsonArray out = new JsonArray();
        for (Row r : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("condition", r.condition());
            o.addProperty("file", r.file());
            o.addProperty("layout", r.layout());
            o.addProperty("outcome", r.outcome().name().toLowerCase());
            o.addProperty("ms", r.ms());
            o.addProperty("cpuMs", r.cpuMs());
            o.addProperty("status", r.status());
            o.add("answered", new GsonBuilder().create().toJsonTree(r.answered()));
            o.add("wrong", new GsonBuilder().create().toJsonTree(r.wrong()));
            o.add("unsure", new GsonBuilder().create().toJsonTree(r.unsure()));
            if (r.rejected() != null) {
                o.addProperty("rejected", r.rejected());
            }
            out.add(o);
        }
        Files.writeString(dir.resolve("results-openkyc.json"), new GsonBuilder().setPrettyPrinting().create().toJson(out));
        System.out.println("OpenKYC DocumentReader" + (engine.isEmpty() ? "" : " at " + engine) + ", "
                + documents + " documents per condition, seed " + DevSet.SEED);
        System.out.println(table(rows));
        Map<String, Long> rejected = new java.util.TreeMap<>();
        rows.stream().filter(r -> r.rejected() != null)
                .forEach(r -> rejected.merge(r.condition() + " (" + r.rejected() + ")", 1L, Long::sum));
        rejected.forEach((k, v) -> System.out.println("refused at intake: " + v + " x " + k));
        for (Row r : rows) {
            if (r.outcome() == Scoring.Outcome.WRONG) {
                System.out.println("WRONG " + r.file() + " fields " + r.wrong() + " answered " + r.answered());
            }
        }
    }

    static Row read(DocumentReader reader, DevSet.Sample s, byte[] bytes) {
        long t0 = System.nanoTime();
        long c0 = processCpu();
        DocumentReading d = null;
        String rejected = null;
        try {
            d = reader.read(bytes);
        } catch (ImageRejectedException e) {
            rejected = e.getMessage();
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        double cpuMs = (processCpu() - c0) / 1e6;
        Scoring.Scored sc = Scoring.score(s.truth(), d);
        List<String> unsure = d == null || d.mrz().isEmpty() ? List.of()
                : d.mrz().get().unsure().stream().sorted().toList();
        return new Row(s.condition().label(), s.file(), s.truth().layout(), sc.outcome(), ms,
                d == null ? "REJECTED" : d.mrzStatus().name(), sc.answered(), sc.wrong(), unsure, rejected, cpuMs);
    }

    private static JsonObject manifestEntry(DevSet.Sample s) {
        Truth t = s.truth();
        JsonObject o = new JsonObject();
        o.addProperty("file", s.file());
        o.addProperty("condition", s.condition().label());
        o.addProperty("document", s.index());
        JsonObject truth = new JsonObject();
        truth.addProperty("layout", t.layout());
        truth.addProperty("format", t.format().name());
        truth.addProperty("documentType", t.documentType());
        truth.addProperty("issuingState", t.issuingState());
        Map<String, String> fields = new LinkedHashMap<>(Scoring.expected(t));
        fields.forEach(truth::addProperty);
        truth.addProperty("optionalData", t.optionalData());
        JsonArray lines = new JsonArray();
        t.lines().forEach(lines::add);
        truth.add("lines", lines);
        truth.addProperty("printedName", t.printedName());
        o.add("truth", truth);
        return o;
    }

    /** The per-condition table in Markdown: counts and shares, median and 95th percentile (nearest rank). */
    static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| condition | images | read | partial (rest left to the user) | wrong | no answer | median ms | p95 ms"
                + " | median CPU ms |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        List<String> conditions = new ArrayList<>();
        for (Condition c : Condition.values()) {
            conditions.add(c.label());
        }
        conditions.add("all");
        for (String c : conditions) {
            List<Row> sel = rows.stream().filter(r -> c.equals("all") || r.condition().equals(c)).toList();
            if (sel.isEmpty()) {
                continue;
            }
            int n = sel.size();
            b.append(String.format("| %s | %d | %s | %s | %s | %s | %.0f | %.0f | %.0f |%n",
                    c.equals("all") ? "**all**" : c, n,
                    share(sel, Scoring.Outcome.READ), share(sel, Scoring.Outcome.PARTIAL),
                    share(sel, Scoring.Outcome.WRONG), share(sel, Scoring.Outcome.NONE),
                    percentile(sel.stream().map(Row::ms).toList(), 50), percentile(sel.stream().map(Row::ms).toList(), 95),
                    percentile(sel.stream().map(Row::cpuMs).toList(), 50)));
        }
        return b.toString();
    }

    private static String share(List<Row> rows, Scoring.Outcome o) {
        long k = rows.stream().filter(r -> r.outcome() == o).count();
        return String.format("%d (%.0f %%)", k, 100.0 * k / rows.size());
    }

    static double percentile(List<Double> values, int p) {
        List<Double> s = values.stream().sorted().toList();
        if (s.isEmpty()) {
            return 0;
        }
        int k = Math.max(1, (int) Math.ceil(s.size() * p / 100.0));
        return s.get(k - 1);
    }
}
