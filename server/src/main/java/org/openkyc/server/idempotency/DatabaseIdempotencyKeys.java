package org.openkyc.server.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.IdempotencyMapper;

/**
 * {@link IdempotencyKeys} in the database, so every server replica sees every key. The primary key
 * (tenant, key) decides which of two concurrent claims owns the key. Expired rows are deleted at
 * most once per {@link #PURGE_INTERVAL}, by whichever claim comes along, in bounded batches. An
 * answer can carry personal data (a profile, a case's fields): it is stored encrypted with the data
 * key (AES-GCM, bound to its tenant and key), like every other personal field at rest.
 */
public final class DatabaseIdempotencyKeys implements IdempotencyKeys {

    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    static final int PURGE_BATCH = 1000;

    private final Database db;
    private final AesGcm aes;
    private final Clock clock;
    private final Duration ttl;
    private final Duration abandonedAfter;
    private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param ttl how long an answer is kept
     * @param abandonedAfter after how long a key still in progress is taken to be abandoned (its
     *        server stopped mid-call) and may be claimed again
     */
    public DatabaseIdempotencyKeys(Database db, AesGcm aes, Clock clock, Duration ttl, Duration abandonedAfter) {
        this.db = db;
        this.aes = aes;
        this.clock = clock;
        this.ttl = ttl;
        this.abandonedAfter = abandonedAfter;
    }

    @Override
    public Claim claim(long tenantId, String key, byte[] requestHash) {
        Instant now = clock.instant();
        purgeExpiredNowAndThen(now);
        LocalDateTime at = utc(now);
        LocalDateTime expires = utc(now.plus(ttl));
        // Each step is a transaction of its own: a claim never holds the lock a duplicate-key check takes
        // while it asks for another, so concurrent duplicates queue instead of deadlocking.
        int inserted = db.inTransaction(s -> s.getMapper(IdempotencyMapper.class)
                .claim(tenantId, key, requestHash, at, expires));
        if (inserted == 1) {
            return new Owned();
        }
        IdempotencyMapper.Row row = db.read(s -> s.getMapper(IdempotencyMapper.class).find(tenantId, key));
        if (row == null) {
            // Released between our insert and our read: the next claim will own it.
            return new InProgress();
        }
        LocalDateTime abandonedBefore = utc(now.minus(abandonedAfter));
        boolean expired = !row.expiresAt.isAfter(at);
        boolean abandoned = !"DONE".equals(row.state) && row.createdAt.isBefore(abandonedBefore);
        if (expired || abandoned) {
            int took = db.inTransaction(s -> s.getMapper(IdempotencyMapper.class)
                    .takeOver(tenantId, key, requestHash, at, expires, abandonedBefore));
            return took == 1 ? new Owned() : new InProgress();
        }
        if (!MessageDigest.isEqual(row.requestHash, requestHash)) {
            return new Mismatch();
        }
        if (!"DONE".equals(row.state)) {
            return new InProgress();
        }
        return new Replay(row.statusCode == null ? 0 : row.statusCode,
                row.answer == null ? new byte[0] : aes.decrypt(row.answer, boundTo(tenantId, key)));
    }

    @Override
    public void complete(long tenantId, String key, int statusCode, byte[] answer) {
        byte[] sealed = aes.encrypt(answer, boundTo(tenantId, key));
        db.inTransaction(s -> s.getMapper(IdempotencyMapper.class).complete(tenantId, key, statusCode, sealed));
    }

    @Override
    public void release(long tenantId, String key) {
        db.inTransaction(s -> s.getMapper(IdempotencyMapper.class).release(tenantId, key));
    }

    private void purgeExpiredNowAndThen(Instant now) {
        long due = nextPurge.get();
        long millis = now.toEpochMilli();
        if (millis < due || !nextPurge.compareAndSet(due, millis + PURGE_INTERVAL.toMillis())) {
            return;
        }
        db.inTransaction(s -> s.getMapper(IdempotencyMapper.class).deleteExpired(utc(now), PURGE_BATCH));
    }

    /** The associated data of a stored answer: it decrypts only as the answer of this tenant's key. */
    /** The associated data of a stored answer (also for master key rotation). */
    public static byte[] boundTo(long tenantId, String key) {
        return ("idempotency:" + tenantId + ':' + key).getBytes(StandardCharsets.UTF_8);
    }

    private static LocalDateTime utc(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
