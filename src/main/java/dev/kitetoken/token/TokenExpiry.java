package dev.kitetoken.token;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.kitetoken.config.KiteConfig;

/**
 * When Kite flushes access tokens: the next {@code KITE_EXPIRY_TIME} in {@code KITE_EXPIRY_ZONE} strictly
 * after a given instant. The host's own zone never enters the calculation.
 */
@ApplicationScoped
public class TokenExpiry {

    private final Clock clock;
    private final LocalTime time;
    private final ZoneId zone;

    @Inject
    TokenExpiry(Clock clock, KiteConfig config) {
        this(clock, config.expiryTime(), config.expiryZone());
    }

    public TokenExpiry(Clock clock, LocalTime time, ZoneId zone) {
        this.clock = clock;
        this.time = time;
        this.zone = zone;
    }

    /** The cutoff that ends a token issued now. */
    public ZonedDateTime nextCutoff() {
        return cutoffAfter(clock.instant());
    }

    public ZonedDateTime cutoffAfter(Instant instant) {
        ZonedDateTime now = instant.atZone(zone);
        ZonedDateTime sameDay = ZonedDateTime.of(now.toLocalDate(), time, zone);
        return sameDay.isAfter(now) ? sameDay : ZonedDateTime.of(now.toLocalDate().plusDays(1), time, zone);
    }
}
