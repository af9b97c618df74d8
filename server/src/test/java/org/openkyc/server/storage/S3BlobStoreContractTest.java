package org.openkyc.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openkyc.server.config.ObjectStorageConfig;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob store contract on the S3 store against a real SeaweedFS started by the test (with an access key
 * that is checked), and what an operator and a caller see when the store is missing, misconfigured or down.
 */
class S3BlobStoreContractTest extends BlobStoreContractTest {

    private static final String BUCKET = "openkyc-blobs";
    private static Path dir;
    private static SeaweedFs weed;
    private S3BlobStore store;

    @BeforeAll
    static void startSeaweedFs() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "seaweedfs-");
        weed = SeaweedFs.start(dir, BUCKET);
    }

    @AfterAll
    static void stopSeaweedFs() {
        if (weed != null) {
            weed.close();
        }
    }

    @BeforeEach
    void open() {
        emptyBucket();
        store = S3BlobStore.open(weed.config(), new AesGcm(dataKey()));
    }

    private final List<S3BlobStore> others = new ArrayList<>();

    @AfterEach
    void close() {
        store.close();
        others.forEach(S3BlobStore::close);
        others.clear();
    }

    @Override
    protected BlobStore sameStoreSealingWith(AesGcm crypto) {
        S3BlobStore other = S3BlobStore.open(weed.config(), crypto);
        others.add(other);
        return other;
    }

    private static void emptyBucket() {
        try (S3Client s3 = S3BlobStore.client(weed.config())) {
            for (String key : weed.objects().keySet()) {
                s3.deleteObject(r -> r.bucket(BUCKET).key(key));
            }
        }
    }

    @Override
    protected BlobStore store() {
        return store;
    }

    @Override
    protected List<byte[]> storedBytes() {
        return new ArrayList<>(weed.objects().values());
    }

    @Test
    void objectsAreNamedByTheBlobKeyOnly() {
        String key = store.put(new byte[] {1, 2, 3});
        assertThat(weed.objects().keySet()).containsExactly(key.substring(0, 2) + "/" + key + ".blob");
    }

    @Test
    void blobsOfAnotherDataKeyCannotBeRead() {
        String key = store.put(new byte[] {1, 2, 3});
        try (S3BlobStore other = S3BlobStore.open(weed.config(), new AesGcm(dataKey()))) {
            assertThatThrownBy(() -> other.get(key)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aMissingBucketStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> S3BlobStore.open(weed.config("no-such-bucket", SeaweedFs.SECRET_KEY),
                new AesGcm(dataKey())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("OPENKYC_S3_BUCKET")
                .hasMessageContaining("no-such-bucket");
    }

    @Test
    void aWrongSecretStopsTheStartNamingTheCredentials() {
        assertThatThrownBy(() -> S3BlobStore.open(weed.config(BUCKET, "not-the-secret-key-at-all-0000"),
                new AesGcm(dataKey())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY")
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void theStoreRefusesCallsWithoutTheKey() throws Exception {
        String key = store.put(new byte[] {1});
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/" + BUCKET, "/" + BUCKET + "/" + S3BlobStore.objectKey(key))) {
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                    weed.endpoint().resolve(path)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    void anUnreachableStoreStopsTheStartNamingTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ObjectStorageConfig nowhere = ObjectStorageConfig.s3(URI.create("http://127.0.0.1:" + closedPort), "us-east-1",
                BUCKET, true, SeaweedFs.ACCESS_KEY, SeaweedFs.SECRET_KEY, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThatThrownBy(() -> S3BlobStore.open(nowhere, new AesGcm(dataKey())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("OPENKYC_S3_ENDPOINT")
                .hasMessageContaining("cannot be reached");
    }

    @Test
    void anOutageDuringACallIsUnavailableWithRetryAdviceAndPassesWhenTheStoreIsBack() {
        String kept = store.put(new byte[] {4, 5, 6});
        weed.stop();
        try {
            for (Runnable call : List.<Runnable>of(() -> store.put(new byte[] {7}), () -> store.get(kept),
                    () -> store.exists(kept), () -> store.delete(kept))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("The object store is unavailable; retry later");
                    assertThat(e.retryAfter()).isPresent();
                });
            }
            // Removing unreferenced blobs never throws, also while the store is down.
            store.deleteUnreferenced(List.of(kept), "a test");
        } finally {
            weed.restart();
        }
        assertThat(store.get(kept)).hasValue(new byte[] {4, 5, 6});
        assertThat(store.put(new byte[] {7})).isNotNull();
    }
}
