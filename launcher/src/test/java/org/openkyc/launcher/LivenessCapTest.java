package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.auth.Role;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.liveness.LivenessSessions;

/**
 * The per-profile cap on liveness sessions, over the real database with a clock the test moves: the cap
 * counts sessions started in the last 24 hours, the refusal says when the oldest of them ages out, and a
 * new session can start once it has.
 */
class LivenessCapTest {

    private final TestProduct p = TestProduct.get();
    private final LivenessSessionsTest.MovableClock clock =
            new LivenessSessionsTest.MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final LivenessSessions sessions = new LivenessSessions(p.product.server().database(), clock, 3);
    private final Caller acme = new Caller(p.product.server().tenants().ensureTenant("acme"), "test", Role.CLIENT);

    @Test
    void theCapCountsTheLast24HoursAndSaysWhenToRetry() {
        String pid = p.product.server().cases().createProfile(acme, "cap-user", "SG").id();
        sessions.start(acme, pid);
        clock.advance(Duration.ofHours(1));
        sessions.start(acme, pid);
        sessions.start(acme, pid);

        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> sessions.start(acme, pid)).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            // The first session (three hours old) leaves the window in 21 hours.
            assertThat(e.retryAfter()).contains(Duration.ofHours(21));
        });

        clock.advance(Duration.ofHours(21));
        assertThat(sessions.start(acme, pid).profileId()).isEqualTo(pid);
        assertThatThrownBy(() -> sessions.start(acme, pid)).isInstanceOf(DomainException.class);
    }
}
