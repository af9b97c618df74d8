package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.auth.Role;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.liveness.CallbackSignature;
import org.openkyc.server.liveness.LivenessCallbacks;
import org.openkyc.server.liveness.LivenessSession;
import org.openkyc.server.liveness.LivenessSessions;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.LivenessMapper;

/**
 * Liveness sessions and callback results at the domain level, over the real
 * database of the test product, with a clock the test moves: expiry, one use
 * (two concurrent claims, one wins), binding to profile and tenant, and
 * deletion with the case.
 */
class LivenessSessionsTest {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    private final TestProduct p = TestProduct.get();
    private final Database db = p.product.server().database();
    private final MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final LivenessSessions sessions = new LivenessSessions(db, clock);
    private final Caller acme = new Caller(p.product.server().tenants().ensureTenant("acme"), "test", Role.CLIENT);
    private final Caller globex = new Caller(p.product.server().tenants().ensureTenant("globex"), "test",
            Role.CLIENT);

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private String profile(Caller c) {
        return p.product.server().cases().createProfile(c, "liveness-user", "SG").id();
    }

    @Test
    void aSessionExpiresFiveMinutesAfterItStarts() {
        String pid = profile(acme);
        LivenessSession s = sessions.start(acme, pid);
        assertThat(s.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(s.actions()).hasSize(3).doesNotHaveDuplicates();

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(sessions.get(acme, s.id()).status()).isEqualTo(LivenessSession.Status.CREATED);
        clock.advance(Duration.ofMillis(1));
        assertRefused(() -> sessions.get(acme, s.id()), ErrorCode.CONFLICT, "expired");
        assertRefused(() -> sessions.consume(acme, s.id(), pid), ErrorCode.CONFLICT, "expired");
    }

    @Test
    void aSessionIsUsedOnceByItsOwnProfileInItsOwnTenant() {
        String pid = profile(acme);
        String other = profile(acme);
        LivenessSession s = sessions.start(acme, pid);

        assertRefused(() -> sessions.consume(acme, s.id(), other), ErrorCode.CONFLICT, "another profile");
        assertRefused(() -> sessions.consume(globex, s.id(), pid), ErrorCode.NOT_FOUND, "not found");
        assertRefused(() -> sessions.get(globex, s.id()), ErrorCode.NOT_FOUND, "not found");
        assertRefused(() -> sessions.start(globex, pid), ErrorCode.PROFILE_NOT_FOUND, "not found");

        LivenessSession claimed = sessions.consume(acme, s.id(), pid);
        assertThat(claimed.actions()).isEqualTo(s.actions());
        assertRefused(() -> sessions.consume(acme, s.id(), pid), ErrorCode.CONFLICT, "already used");
        assertRefused(() -> sessions.consume(acme, "nosuchsession", pid), ErrorCode.NOT_FOUND, "not found");
    }

    @Test
    void twoConcurrentClaimsOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String pid = profile(acme);
            LivenessSession s = sessions.start(acme, pid);
            CountDownLatch go = new CountDownLatch(1);
            Callable<String> claim = () -> {
                go.await();
                try {
                    sessions.consume(acme, s.id(), pid);
                    return "won";
                } catch (DomainException e) {
                    return e.getMessage();
                }
            };
            List<Future<String>> both = new ArrayList<>(List.of(POOL.submit(claim), POOL.submit(claim)));
            go.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : both) {
                outcomes.add(f.get());
            }
            assertThat(outcomes).filteredOn("won"::equals).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o.contains("already used")).hasSize(1);
        }
    }

    @Test
    void sessionsAndLivenessResultsGoWithTheirCase() {
        String pid = profile(acme);
        LivenessSession s = sessions.start(acme, pid);
        CallbackSignature sig = new CallbackSignature(TestProduct.LIVENESS_CALLBACK_SECRET);
        LivenessCallbacks callbacks = new LivenessCallbacks(db, Optional.of(sig), clock);
        CallbackSignature.Fields f = new CallbackSignature.Fields(pid, "provider-1", 91.25, "success", null);
        String ts = Long.toString(clock.instant().getEpochSecond());
        callbacks.record(acme, f, ts, sig.sign(ts, f), Optional.empty());
        assertThat(callbacks.latest(acme, pid)).hasValueSatisfying(r -> {
            assertThat(r.result()).isEqualTo("success");
            assertThat(r.confidence()).isEqualTo(91.25);
        });
        Long caseId = db.<Long>read(x -> x.getMapper(CaseMapper.class).caseByPublicId(acme.tenantId(), pid).id);

        p.product.server().cases().delete(acme, pid, DomainException::profileNotFound);

        assertRefused(() -> sessions.get(acme, s.id()), ErrorCode.NOT_FOUND, "not found");
        long left = db.<Long>read(x -> x.getMapper(LivenessMapper.class).countResults(caseId));
        assertThat(left).isZero();
    }

    @Test
    void callbacksAreRefusedWithoutASecretAndStoreNothing() {
        String pid = profile(acme);
        LivenessCallbacks off = new LivenessCallbacks(db, Optional.empty(), clock);
        CallbackSignature.Fields f = new CallbackSignature.Fields(pid, "", 50, "fail", "no face");
        assertRefused(() -> off.record(acme, f, "1", "00", Optional.empty()), ErrorCode.UNAVAILABLE,
                "OPENKYC_LIVENESS_CALLBACK_SECRET");
        assertThat(off.latest(acme, pid)).isEmpty();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code,
            String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(text);
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
