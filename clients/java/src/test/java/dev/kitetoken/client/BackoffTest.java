package dev.kitetoken.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));

    @Test
    void growsFromHalfTheFirstPauseToTheMaximumAndNeverReachesZero() {
        for (int failures = 1; failures <= 40; failures++) {
            long ceiling = Math.min(15_000, 500L << Math.min(failures - 1, 20));
            for (int draw = 0; draw < 200; draw++) {
                long pause = backoff.after(failures).toMillis();
                assertTrue(pause >= 250 && pause <= ceiling, failures + " failures: " + pause + " ms");
            }
        }
    }

    @Test
    void isJitteredSoThatPodsDoNotRetryTogether() {
        long distinct = java.util.stream.IntStream.range(0, 100).mapToLong(i -> backoff.after(6).toMillis()).distinct().count();
        assertTrue(distinct > 50, distinct + " distinct pauses of 100");
    }

    @Test
    void refusesAZeroOrInvertedRange() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals(Duration.ofMillis(1), new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)).after(3));
    }
}
