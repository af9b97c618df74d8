package org.openkyc.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Waits between attempts: doubling from the first wait, capped, shortened by at most a fifth. */
class WebhookBackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

    @Test
    void waitsDoubleAfterEachFailureWithoutJitter() {
        assertThat(backoff.after(1, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.after(2, 0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.after(3, 0)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.after(5, 0)).isEqualTo(Duration.ofSeconds(160));
    }

    @Test
    void neverLongerThanTheMaximumEvenAfterManyFailures() {
        assertThat(backoff.after(6, 0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(100, 0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(Integer.MAX_VALUE, 0)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterTakesOffAtMostAFifth() {
        assertThat(backoff.after(1, 0.5)).isEqualTo(Duration.ofSeconds(9));
        assertThat(backoff.after(1, 0.999999)).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.after(100, 0.999999)).isGreaterThanOrEqualTo(Duration.ofMinutes(4))
                .isLessThanOrEqualTo(Duration.ofMinutes(5));
        // Out-of-range random numbers are clamped, never a negative or longer wait.
        assertThat(backoff.after(1, -3)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.after(1, 7)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> backoff.after(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
