package dev.kitetoken.token;

import static dev.kitetoken.redis.RedisCalls.call;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.redis.RedisKeys;
import dev.kitetoken.redis.RedisUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.scheduler.Scheduled;

/**
 * Notices that Redis lost its data while the connections stayed up: a marker key in the token's hash slot,
 * set once and never removed, is missing. A dropped subscription already says so for one standalone Redis;
 * on a cluster the subscriber may be on another node than the one that restarted empty.
 */
@ApplicationScoped
public class RedisDataWatch {

    private static final Logger LOG = Logger.getLogger(RedisDataWatch.class);

    private final RedisDataSource redis;
    private final RedisKeys keys;
    private final ReplicaState replica;
    private final String mark = UUID.randomUUID().toString();
    private volatile boolean seenOnce;

    RedisDataWatch(RedisDataSource redis, RedisKeys keys, ReplicaState replica) {
        this.redis = redis;
        this.keys = keys;
        this.replica = replica;
    }

    @Scheduled(identity = "kite-redis-data-watch", every = "{kite.redis-watch-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        boolean wasMissing;
        try {
            wasMissing = call("check the data marker",
                    () -> redis.value(String.class).setGet(keys.dataMarker(), mark, new SetArgs().nx()) == null);
        } catch (RedisUnavailableException e) {
            LOG.debugf("Data marker not checked: %s", e.getMessage());
            return;
        }
        // The very first check after start finds it missing on a Redis that was never used: nothing was lost.
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
