package dev.kitetoken.token;

import static dev.kitetoken.redis.RedisCalls.call;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.redis.RedisKeys;
import dev.kitetoken.redis.RedisUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;

/**
 * Every KITE_CHECK_INTERVAL, one replica (the one that claims the period in Redis) asks Kite whether the
 * token still works, to catch what no pod reports: a master logout on Kite web, a login elsewhere.
 */
@ApplicationScoped
public class SessionChecker {

    private static final Logger LOG = Logger.getLogger(SessionChecker.class);

    private final TokenInvalidation invalidation;
    private final RedisDataSource redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final Duration interval;

    SessionChecker(TokenInvalidation invalidation, RedisDataSource redis, RedisKeys keys, Clock clock, KiteConfig config) {
        this.invalidation = invalidation;
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.interval = parseInterval(config.checkInterval());
    }

    @Scheduled(identity = "kite-session-check", every = "{kite.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void check() {
        try {
            long period = clock.instant().getEpochSecond() / interval.toSeconds();
            boolean mine = call("claim session check", () -> redis.execute("SET", keys.checkClaim(period), "1",
                    "NX", "EX", Long.toString(interval.toSeconds()))) != null;
            if (mine) {
                invalidation.checkWithKite();
            }
        } catch (RedisUnavailableException e) {
            LOG.debugf("Session check skipped: %s", e.getMessage());
        }
    }

    /** "5m", "30s", "1h" as the scheduler reads them; anything else (including "off") as five minutes. */
    static Duration parseInterval(String value) {
        try {
            return Duration.parse("PT" + value.strip().toUpperCase());
        } catch (RuntimeException e) {
            return Duration.ofMinutes(5);
        }
    }
}
