package org.openkyc.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openkyc.server.config.ObjectStorageConfig;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real SeaweedFS ({@code weed mini}) on loopback for tests: S3 on a free port, data in a folder of the
 * test, one identity whose access key the store must sign with (anonymous calls are refused), one bucket
 * created at start. Built by {@code setup/50-seaweedfs.sh} into {@code $OPENKYC_CACHE_DIR/bin/weed}; a
 * test that needs it fails (never skips) when it is missing.
 */
public final class SeaweedFs implements AutoCloseable {

    public static final String ACCESS_KEY = "openkyc-test-access";
    public static final String SECRET_KEY = "openkyc-test-secret-0123456789abcdef";
    /** How long a start may take on a loaded machine before the test gives up. */
    private static final Duration START_LIMIT = Duration.ofMinutes(4);

    private final Path dir;
    private final String bucket;
    private final List<Integer> ports;
    private Process process;

    private SeaweedFs(Path dir, String bucket) {
        this.dir = dir;
        this.bucket = bucket;
        // s3, master, volume, filer, each with its gRPC port.
        this.ports = freePorts(8);
    }

    /** The weed binary installed by bin/setup. */
    public static Path binary() {
        String cache = System.getProperty("openkyc.cacheDir");
        if (cache == null || cache.isBlank()) {
            cache = System.getenv().getOrDefault("OPENKYC_CACHE_DIR", ".cache");
        }
        Path weed = Path.of(cache, "bin", "weed").toAbsolutePath();
        if (!Files.isExecutable(weed)) {
            throw new IllegalStateException("SeaweedFS is not installed at " + weed
                    + ": run bin/setup (setup/50-seaweedfs.sh builds it from the Go module proxy)");
        }
        return weed;
    }

    /** Starts SeaweedFS with its data in {@code dir} and the bucket created; waits until S3 answers. */
    public static SeaweedFs start(Path dir, String bucket) {
        SeaweedFs weed = new SeaweedFs(dir, bucket);
        weed.startProcess();
        return weed;
    }

    private void startProcess() {
        Path weed = binary();
        try {
            Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(weed.toString(), "mini",
                "-dir=" + dir.resolve("data"), "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-s3.port=" + ports.get(0), "-s3.port.grpc=" + ports.get(1),
                "-master.port=" + ports.get(2), "-master.port.grpc=" + ports.get(3),
                "-volume.port=" + ports.get(4), "-volume.port.grpc=" + ports.get(5),
                "-filer.port=" + ports.get(6), "-filer.port.grpc=" + ports.get(7),
                "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false", "-admin.ui=false",
                "-master.telemetry=false", "-s3.autoCreateBucket=false", "-bucket=" + bucket));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("weed.log").toFile()));
        Map<String, String> env = pb.environment();
        // The admin identity of the S3 gateway: with it set, unsigned and wrongly signed calls are refused.
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + weed, e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitBucket();
    }

    /** Polls until the bucket answers a signed HEAD (S3 up, identity loaded, bucket created). */
    private void awaitBucket() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        try (S3Client s3 = S3BlobStore.client(config())) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("SeaweedFS exited with " + process.exitValue() + "; see "
                            + dir.resolve("weed.log"));
                }
                try {
                    s3.headBucket(b -> b.bucket(bucket));
                    return;
                } catch (SdkException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("SeaweedFS did not serve the bucket within " + START_LIMIT
                                + "; see " + dir.resolve("weed.log"), e);
                    }
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The S3 endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + ports.get(0));
    }

    public String bucket() {
        return bucket;
    }

    /** The product's settings for this store (OPENKYC_BLOB_STORE=s3 and the rest). */
    public Map<String, String> env() {
        return Map.of("OPENKYC_BLOB_STORE", "s3", "OPENKYC_S3_ENDPOINT", endpoint().toString(),
                "OPENKYC_S3_BUCKET", bucket, "OPENKYC_S3_REGION", "us-east-1", "OPENKYC_S3_PATH_STYLE", "true",
                "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** A configuration for this store, with another bucket or secret when a test wants to break it. */
    public ObjectStorageConfig config(String bucketName, String secretKey) {
        return ObjectStorageConfig.s3(endpoint(), "us-east-1", bucketName, true, ACCESS_KEY, secretKey,
                Duration.ofSeconds(2), Duration.ofSeconds(20));
    }

    public ObjectStorageConfig config() {
        return config(bucket, SECRET_KEY);
    }

    /** Every object in the bucket with its raw bytes, read with the test's own client. */
    public Map<String, byte[]> objects() {
        try (S3Client s3 = S3BlobStore.client(config())) {
            Map<String, byte[]> out = new java.util.TreeMap<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                out.put(o.key(), s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray());
            }
            return out;
        }
    }

    /** Stops the store (the data stays); calls to it then fail until {@link #restart()}. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the store again on the same ports with the same data. */
    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }

    /** Distinct free loopback ports, every one given explicitly so SeaweedFS derives none. */
    private static List<Integer> freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            while (ports.size() < n) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket we opened does not fail in practice
                }
            }
        }
    }
}
