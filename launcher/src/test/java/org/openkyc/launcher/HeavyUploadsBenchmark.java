package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.openkyc.server.document.HostileImages;
import org.openkyc.server.vision.TestVision;

/**
 * Not part of the normal test run (its name matches neither *Test nor *IT). Run with:
 * {@code mvn -o -B -q -pl launcher -am test -Dtest=HeavyUploadsBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * <p>Memory of the server under the worst uploads the default limits let through: 8 concurrent step-1
 * uploads over HTTPS through the gateway, half a 12000 x 3333 PNG (40 MP, the pixel limit at the longest
 * side) and half a 12000 x 1500 JPEG (ratio 8, the worst aspect ratio at the longest side), three
 * rounds. The product runs in this JVM (server and gateway; MariaDB is its own process), so the
 * resident set of this process (VmRSS sampled every 10 ms, and VmHWM) is the server's. Two products
 * are measured: the default concurrency (the processors of this machine) and 8 analyses at once.
 */
class HeavyUploadsBenchmark {

    private static final int CONCURRENT = 8;
    private static final int ROUNDS = 3;

    @Test
    void residentMemoryUnderWorstCaseUploads() throws Exception {
        byte[] png = HostileImages.rgbPng(12_000, 3_333);
        byte[] jpeg = stripesJpeg(12_000, 1_500);
        System.out.printf(Locale.ROOT, "inputs: PNG 12000x3333 %d bytes, JPEG 12000x1500 %d bytes%n",
                png.length, jpeg.length);
        Map<String, String> results = new TreeMap<>();
        results.put("a. default concurrency (" + Runtime.getRuntime().availableProcessors() + ")",
                measure(Map.of(), png, jpeg));
        results.put("b. OPENKYC_VISION_CONCURRENCY=8", measure(Map.of("OPENKYC_VISION_CONCURRENCY", "8",
                "OPENKYC_VISION_QUEUE", "0"), png, jpeg));
        System.out.println("---- heavy uploads: resident memory of the server JVM ----");
        results.forEach((k, v) -> System.out.println(k + ": " + v));
    }

    private static String measure(Map<String, String> env, byte[] png, byte[] jpeg) throws Exception {
        TestProduct p = TestProduct.start("bench-memory", env);
        try {
            // Warm up: the models and Tesseract load on first use, and the heap settles.
            HttpResponse<String> warm = step1(p, TestVision.resource("passport-td3-specimen.png"));
            assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
            System.gc();
            Thread.sleep(500);
            long baseline = status("VmRSS");
            long hwmBefore = status("VmHWM");
            long nativeBaseline = baseline - heapCommitted();
            AtomicLong peak = new AtomicLong(baseline);
            AtomicLong peakNative = new AtomicLong(nativeBaseline);
            AtomicLong peakHeapUsed = new AtomicLong(0);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    long rss = status("VmRSS");
                    peak.accumulateAndGet(rss, Math::max);
                    // Outside the Java heap: native image buffers, models, thread stacks, metaspace.
                    peakNative.accumulateAndGet(rss - heapCommitted(), Math::max);
                    peakHeapUsed.accumulateAndGet(
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            Map<Integer, Integer> codes = new TreeMap<>();
            long started = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    calls.add(step1Async(p, i % 2 == 0 ? png : jpeg));
                }
                for (CompletableFuture<HttpResponse<String>> c : calls) {
                    codes.merge(c.get().statusCode(), 1, Integer::sum);
                }
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            sampling.set(false);
            sampler.join();
            long hwmAfter = status("VmHWM");
            long heapMax = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            return String.format(Locale.ROOT, "baseline RSS %d MB, peak RSS %d MB (+%d MB), VmHWM %d -> %d MB; "
                    + "outside the heap %d -> peak %d MB (+%d MB); heap used peak %d MB of max %d MB; answers %s, %d s",
                    mb(baseline), mb(peak.get()), mb(peak.get() - baseline), mb(hwmBefore), mb(hwmAfter),
                    mb(nativeBaseline), mb(peakNative.get()), mb(peakNative.get() - nativeBaseline),
                    mb(peakHeapUsed.get()), heapMax >> 20, codes, seconds);
        } finally {
            p.close();
        }
    }

    private static HttpResponse<String> step1(TestProduct p, byte[] image) throws Exception {
        return step1Async(p, image).get();
    }

    private static CompletableFuture<HttpResponse<String>> step1Async(TestProduct p, byte[] image) {
        byte[] body = new Multipart().text("issuingCountry", "SWE").text("idType", "passport")
                .text("email", "m" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .file("idImage", "document.img", "application/octet-stream", image).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(p.url("/v2/submission/step1")))
                .timeout(Duration.ofMinutes(5)).header("x-api-key", p.clientKeyA)
                .header("content-type", Multipart.CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return p.http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    }

    /** A JPEG of vertical stripes (small file, every pixel decoded). */
    private static byte[] stripesJpeg(int w, int h) {
        try (Mat m = new Mat(new Size(w, h), org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                new Scalar(200, 180, 160, 0)); BytePointer out = new BytePointer()) {
            for (int x = 0; x < w; x += 32) {
                org.bytedeco.opencv.global.opencv_imgproc.rectangle(m, new org.bytedeco.opencv.opencv_core.Rect(x, 0,
                        16, h), new Scalar(40, 40, 40, 0), -1, 8, 0);
            }
            opencv_imgcodecs.imencode(".jpg", m, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    private static long heapCommitted() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** A field of /proc/self/status in bytes. */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }

    private static long mb(long bytes) {
        return bytes >> 20;
    }
}
