package org.openkyc.server.geo;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Measures the offline address coding: gazetteer load time and retained heap, and the
 * latency of {@link AddressCodeService#encode} for addresses and coordinates (no network,
 * no gRPC). Not a test; run by hand (command in BENCHMARKS.md).
 */
public final class GeoBench {

    private static final String[] ADDRESSES = {
        "1 Sejongno, Jongno-gu, Seoul, South Korea", "10 Downing Street, London SW1A 2AA, UK",
        "1600 Amphitheatre Parkway, Mountain View, CA 94043, USA", "Shibuya, Tokyo, Japan", "Berlin",
        "Rue de Rivoli, 75001 Paris, France", "서울특별시 종로구 세종대로 1", "Sydney NSW 2000, Australia",
    };

    private GeoBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".cache/gazetteer");
        Runtime rt = Runtime.getRuntime();
        gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        Gazetteer gazetteer = Gazetteer.load(dir);
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        gc();
        long retained = rt.totalMemory() - rt.freeMemory() - before;
        System.out.printf("gazetteer: %d places, first load %d ms, retained heap ~%d MB%n", gazetteer.size(), loadMs,
                retained >> 20);

        Countries countries = new Countries();
        GazetteerSource source = GazetteerSource.of(gazetteer);
        AddressCodeService service = new AddressCodeService(new GazetteerGeocoder(source, countries), source, countries);
        report("address", service, ADDRESSES);
        report("coordinates", service, new String[] {"37.5759,126.9769", "51.5034,-0.1276", "-33.8688,151.2093"});
        if (gazetteer.size() < 0) {
            System.out.println(gazetteer); // keeps the gazetteer reachable until here
        }
    }

    private static void report(String label, AddressCodeService service, String[] inputs) {
        for (int i = 0; i < 3000; i++) {
            service.encode(inputs[i % inputs.length], "en");
        }
        int n = 20_000;
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            service.encode(inputs[i % inputs.length], "en");
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1000.0;
        System.out.printf("%s: %d calls, mean %.1f us, p50 %.1f us, p99 %.1f us%n", label, n, mean,
                nanos[n / 2] / 1000.0, nanos[(int) (n * 0.99)] / 1000.0);
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
