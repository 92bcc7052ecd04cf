package dev.kitetoken.token;

import static dev.kitetoken.redis.RedisCalls.call;
import static dev.kitetoken.redis.RedisCalls.run;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.kitetoken.redis.RedisKeys;
import dev.kitetoken.redis.RedisUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Notices that Redis lost its data while the connections stayed up: this replica's marker key, in the token's
 * hash slot and refreshed on every check, is missing. A dropped subscription already says so for one
 * standalone Redis; on a cluster the subscriber may be on another node than the one that restarted empty.
 */
@ApplicationScoped
public class RedisDataWatch {

    private static final Logger LOG = Logger.getLogger(RedisDataWatch.class);

    /** Far longer than any interval between checks: only a replica gone for good lets its marker expire. */
    private static final Duration MARKER_TTL = Duration.ofHours(1);

    private final RedisDataSource redis;
    private final String marker;
    private final ReplicaState replica;
    private volatile boolean seenOnce;

    RedisDataWatch(RedisDataSource redis, RedisKeys keys, ReplicaState replica) {
        this.redis = redis;
        this.marker = keys.dataMarker(UUID.randomUUID().toString());
        this.replica = replica;
    }

    /**
     * The marker is set as soon as the replica runs, not by the first check: data lost between start-up and
     * that check (a native replica is ready and takes a login within milliseconds) is then noticed by it.
     */
    void onStart(@Observes StartupEvent event) {
        try {
            run("set the data marker", () -> redis.value(String.class).set(marker, "1", new SetArgs().ex(MARKER_TTL)));
            seenOnce = true;
        } catch (RedisUnavailableException e) {
            LOG.debugf("Data marker not set at start-up: %s", e.getMessage());
        }
    }

    @Scheduled(identity = "kite-redis-data-watch", every = "{kite.redis-watch-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        boolean wasMissing;
        try {
            wasMissing = call("check the data marker",
                    () -> redis.value(String.class).setGet(marker, "1", new SetArgs().ex(MARKER_TTL)) == null);
        } catch (RedisUnavailableException e) {
            LOG.debugf("Data marker not checked: %s", e.getMessage());
            return;
        }
        // Missing on a first contact after a start without Redis: it was never set, so nothing was lost.
        if (wasMissing && seenOnce) {
            LOG.warn("Redis lost its data (the marker key is gone): offering back what this replica holds");
            try {
                replica.redisLostData();
            } catch (RedisUnavailableException e) {
                LOG.debugf("Repair after a data loss not done yet: %s", e.getMessage());
            }
        }
        seenOnce = true;
    }
}
