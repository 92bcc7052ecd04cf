package dev.kitetoken.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The service's clock, moved by a test (enable it in a test profile's alternatives): system time plus an
 * offset, so time keeps flowing (timeouts, TTLs) while the day and hour are the test's.
 */
@Alternative
@Singleton
public class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** From now on the clock reads {@code instant}, and runs on from there. */
    public void moveTo(Instant instant) {
        offset = Duration.between(Instant.now(), instant);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service reads instants and converts them itself");
    }
}
