package dev.kitetoken.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: the n-th pause in a row is drawn from [first/2, min(max, first * 2^n)],
 * so that every pod of a deployment does not retry at the same instant, and never from zero (no hot loop).
 */
public final class Backoff {

    private final long firstMillis;
    private final long maxMillis;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < first <= max, got " + first + " and " + max);
        }
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The pause after the given number of failures in a row (1 for the first). */
    public Duration after(int failures) {
        long ceiling = firstMillis;
        for (int i = 1; i < failures && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxMillis);
        long floor = Math.max(1, firstMillis / 2);
        return Duration.ofMillis(floor >= ceiling ? ceiling : ThreadLocalRandom.current().nextLong(floor, ceiling + 1));
    }
}
