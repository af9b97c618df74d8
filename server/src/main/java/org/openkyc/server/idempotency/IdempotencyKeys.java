package org.openkyc.server.idempotency;

/**
 * The first answer to each Idempotency-Key of a tenant. A caller {@link #claim claims} a key before
 * doing the work; the owner then {@link #complete completes} it with the answer, or
 * {@link #release releases} it when the answer must not be kept (a transient failure, so that a retry
 * can succeed). Answers are opaque bytes to this store; requests are known only by their hash.
 */
public interface IdempotencyKeys {

    /** What a claim found. */
    sealed interface Claim permits Owned, Replay, Mismatch, InProgress { }

    /** The key was free: the caller does the work and must complete or release it. */
    record Owned() implements Claim { }

    /** The same request was answered before: this is the stored answer. */
    record Replay(int statusCode, byte[] answer) implements Claim { }

    /** The key was used for another request (another method or other bytes). */
    record Mismatch() implements Claim { }

    /** The same request is being worked on by another call. */
    record InProgress() implements Claim { }

    Claim claim(long tenantId, String key, byte[] requestHash);

    /** Keeps the answer of an owned key: status code 0 with the response bytes, or a lasting error. */
    void complete(long tenantId, String key, int statusCode, byte[] answer);

    /** Frees an owned key without an answer. */
    void release(long tenantId, String key);
}
