package dev.kitetoken.login;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.web.ProblemException;

/**
 * Bounds the token exchanges this replica makes at Kite (KITE_EXCHANGES_PER_MINUTE): every callback that
 * passes the state check would cost one call to the app's Kite quota, so beyond the limit a callback gets
 * 429 with Retry-After before anything reaches Kite.
 */
@ApplicationScoped
public class ExchangeQuota {

    private final Guard guard;
    private final KiteMetrics metrics;
    private final int perMinute;

    ExchangeQuota(KiteConfig config, KiteMetrics metrics) {
        this.perMinute = config.exchangesPerMinute();
        this.metrics = metrics;
        this.guard = Guard.create()
                .withDescription("token exchanges at Kite")
                .withRateLimit().limit(perMinute).window(1, ChronoUnit.MINUTES).done()
                .build();
    }

    /** A callback beyond the quota: nothing was sent to Kite and nothing was used up. */
    static final class Exceeded extends ProblemException {
        Exceeded(String detail, long retryAfterSeconds) {
            super(429, "Too many logins", detail, false, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        }
    }

    /** Runs an exchange within the quota, or refuses it with {@link Exceeded} without running it. */
    <T> T within(Supplier<T> exchange, Class<T> type) {
        try {
            return guard.get(exchange, type);
        } catch (RateLimitException e) {
            metrics.exchange("rate_limited");
            long seconds = Math.max(1, (e.getRetryAfterMillis() + 999) / 1000);
            throw new Exceeded("This replica has made its " + perMinute + " token exchanges with Kite this minute. Reload this"
                    + " page in " + seconds + " s: the login link stays valid for a few minutes.", seconds);
        }
    }
}
