package org.openkyc.server.storage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.openkyc.server.common.Ids;
import org.openkyc.server.config.ObjectStorageConfig;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A {@link BlobStore} in an S3-compatible object store (AWS S3, SeaweedFS, MinIO, Ceph RGW). Blobs are
 * AES-GCM encrypted here, with the blob key as associated data, exactly as {@link EncryptedFileBlobStore}
 * does: the store only ever holds ciphertext. One object per blob, written in one PUT, so a failed call
 * never leaves a partial blob.
 *
 * <p>Failures: a store that cannot be reached, times out or answers 5xx (or refuses the configured
 * credentials or bucket) fails the call as {@link ErrorCode#UNAVAILABLE} with retry advice; the services
 * write their database rows only after every blob is stored and remove stored blobs when a later step
 * fails, so a case is never half written. At start, {@link #open} refuses a store it cannot reach or a
 * bucket that does not exist, naming the variable to fix.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /** What a caller is told to wait before retrying while the object store is unavailable. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

    private final S3Client s3;
    private final String bucket;
    private final AesGcm crypto;

    S3BlobStore(S3Client s3, String bucket, AesGcm crypto) {
        this.s3 = s3;
        this.bucket = bucket;
        this.crypto = crypto;
    }

    /**
     * Connects to the configured store and checks that the bucket exists and the credentials are accepted.
     *
     * @throws IllegalStateException naming the variable to fix, when the store cannot be used
     */
    public static S3BlobStore open(ObjectStorageConfig config, AesGcm crypto) {
        S3Client client = client(config);
        try {
            client.headBucket(b -> b.bucket(config.bucket()));
        } catch (NoSuchBucketException e) {
            client.close();
            throw new IllegalStateException("OPENKYC_S3_BUCKET: the bucket '" + config.bucket()
                    + "' does not exist at " + where(config) + "; create it first");
        } catch (S3Exception e) {
            client.close();
            int status = e.statusCode();
            if (status == 404) {
                throw new IllegalStateException("OPENKYC_S3_BUCKET: the bucket '" + config.bucket()
                        + "' does not exist at " + where(config) + "; create it first");
            }
            if (status == 401 || status == 403) {
                throw new IllegalStateException("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: the object store at "
                        + where(config) + " refused access to the bucket '" + config.bucket() + "' (HTTP "
                        + status + ")");
            }
            throw new IllegalStateException("OPENKYC_S3_ENDPOINT: the object store at " + where(config)
                    + " answered HTTP " + status + " when asked for the bucket '" + config.bucket() + "'");
        } catch (SdkException e) {
            client.close();
            throw new IllegalStateException("OPENKYC_S3_ENDPOINT: the object store at " + where(config)
                    + " cannot be reached (" + rootCause(e) + describe(e) + ")");
        }
        log.info("Blobs are kept in the object store at {}, bucket {}", where(config), config.bucket());
        return new S3BlobStore(client, config.bucket(), crypto);
    }

    /** An S3 client over the JDK's HTTP client, with the configured endpoint, region, credentials and bounds. */
    static S3Client client(ObjectStorageConfig config) {
        AwsCredentials credentials = config.sessionToken().isPresent()
                ? AwsSessionCredentials.create(config.accessKeyId(), config.secretAccessKey(),
                        config.sessionToken().get())
                : AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey());
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.connectTimeout())
                        .socketTimeout(config.callTimeout()))
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .forcePathStyle(config.pathStyle())
                // Blobs are AES-GCM sealed, which detects any change to them; extra checksums are computed only
                // where S3 requires them, so stores that do not know the newer checksum headers work too.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(config.callTimeout()));
        config.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    @Override
    public String put(byte[] bytes) {
        String key = Ids.random(32);
        byte[] sealed = crypto.encrypt(bytes, aad(key));
        call("store", () -> s3.putObject(r -> r.bucket(bucket).key(objectKey(key))
                .contentType("application/octet-stream").contentLength((long) sealed.length),
                RequestBody.fromBytes(sealed)));
        return key;
    }

    @Override
    public Optional<byte[]> get(String key) {
        String objectKey = objectKey(key);
        Optional<ResponseBytes<GetObjectResponse>> stored = call("read", () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(objectKey)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
        return stored.map(b -> crypto.decrypt(b.asByteArrayUnsafe(), aad(key)));
    }

    @Override
    public String reseal(String key, boolean rewrite) {
        String objectKey = objectKey(key);
        Optional<ResponseBytes<GetObjectResponse>> stored = call("read", () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(objectKey)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
        if (stored.isEmpty()) {
            return null;
        }
        AesGcm.Opened o = crypto.open(stored.get().asByteArrayUnsafe(), aad(key));
        if (rewrite && !o.keyId().equals(crypto.keyId())) {
            byte[] sealed = crypto.encrypt(o.plain(), aad(key));
            call("store", () -> s3.putObject(r -> r.bucket(bucket).key(objectKey)
                    .contentType("application/octet-stream").contentLength((long) sealed.length),
                    RequestBody.fromBytes(sealed)));
        }
        return o.keyId();
    }

    /**
     * Deletes the object, then checks with a HEAD that it is gone: a store that acknowledged a DELETE it did
     * not carry out (a replica lagging, a versioned bucket keeping the data) is reported, never taken for done.
     */
    @Override
    public void delete(String key) {
        String objectKey = objectKey(key);
        call("delete", () -> s3.deleteObject(r -> r.bucket(bucket).key(objectKey)));
        if (exists(key)) {
            throw new IllegalStateException("the object store still holds a blob after deleting it");
        }
    }

    @Override
    public boolean exists(String key) {
        String objectKey = objectKey(key);
        return call("check", () -> {
            try {
                s3.headObject(r -> r.bucket(bucket).key(objectKey));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                // A HEAD answer has no body, so a missing object is known only by its status.
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** A HEAD of the bucket answers (the store runs and still accepts the credentials). */
    @Override
    public boolean reachable() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Runs one store call; an outage becomes UNAVAILABLE with retry advice, logged without keys or data. */
    private static <T> T call(String what, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkClientException e) {
            // Not reached, refused, timed out, or the connection broke during the call.
            log.warn("Object store unavailable ({}): {}", what, rootCause(e));
            throw unavailable();
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status >= 500 || status == 429 || status == 401 || status == 403 || status == 404) {
                // 5xx and throttling are outages; a refused key or a vanished bucket is the operator's to fix,
                // and the caller can only retry later either way.
                log.warn("Object store unavailable ({}): HTTP {} {}", what, status,
                        e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode());
                throw unavailable();
            }
            throw new IllegalStateException("the object store refused to " + what + " a blob: HTTP " + status, e);
        }
    }

    private static DomainException unavailable() {
        return new DomainException(ErrorCode.UNAVAILABLE, "The object store is unavailable; retry later", RETRY_AFTER);
    }

    /** The object's name: a two-character prefix as in the file store, then the blob key. */
    static String objectKey(String key) {
        if (!Ids.plausible(key)) {
            throw new IllegalArgumentException("not a blob key");
        }
        return key.substring(0, 2) + "/" + key + ".blob";
    }

    private static byte[] aad(String key) {
        return ("blob:" + key).getBytes(StandardCharsets.UTF_8);
    }

    private static String where(ObjectStorageConfig config) {
        return config.endpoint().map(Object::toString).orElse("AWS S3 " + config.region());
    }

    /** The root cause's message, for the start-up error only (it names the host, never a blob). */
    private static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? "" : ": " + c.getMessage();
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName();
    }
}
