package org.openkyc.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The OpenKYC API key as gRPC call credentials: every call carries it in the {@code x-api-key} metadata, as the
 * REST API carries it in the {@code x-api-key} header.
 *
 * <p>The key is a secret: by default it is sent only over a channel that protects it (TLS, or an in-process
 * channel); a call on a plain-text channel fails with {@code UNAUTHENTICATED} before anything is sent.
 * {@link #allowingPlaintext} lifts that for a server on loopback in development.
 */
public final class ApiKeyCredentials extends CallCredentials {

    /** The metadata key the API key travels in. */
    public static final Metadata.Key<String> API_KEY =
            Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final String apiKey;
    private final boolean plaintextAllowed;

    private ApiKeyCredentials(String apiKey, boolean plaintextAllowed) {
        Objects.requireNonNull(apiKey, "apiKey");
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        for (int i = 0; i < apiKey.length(); i++) {
            char c = apiKey.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("the API key holds a character that is not printable ASCII");
            }
        }
        this.apiKey = apiKey;
        this.plaintextAllowed = plaintextAllowed;
    }

    /** Credentials sent only over TLS (or in-process). */
    public static ApiKeyCredentials of(String apiKey) {
        return new ApiKeyCredentials(apiKey, false);
    }

    /** Credentials also sent over a plain-text channel: for a development server on loopback only. */
    public static ApiKeyCredentials allowingPlaintext(String apiKey) {
        return new ApiKeyCredentials(apiKey, true);
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        if (!plaintextAllowed && requestInfo.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY) {
            applier.fail(Status.UNAUTHENTICATED.withDescription(
                    "the API key is sent only over TLS; this channel is plain text"));
            return;
        }
        Metadata headers = new Metadata();
        headers.put(API_KEY, apiKey);
        applier.apply(headers);
    }

    @Override
    public String toString() {
        return "ApiKeyCredentials[x-api-key=***]";
    }
}
