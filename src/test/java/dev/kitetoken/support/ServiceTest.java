package dev.kitetoken.support;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import dev.kitetoken.token.ReplicaState;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Base of the {@code @QuarkusTest}s that drive the service against the fake Kite of
 * {@link KiteTestEnvironment}: every test starts with a well-behaved Kite and an empty Redis.
 */
public abstract class ServiceTest {

    @InjectFakeKite
    protected FakeKiteServer kite;

    @Inject
    protected RedisDataSource redis;

    @Inject
    protected ReplicaState replica;

    @BeforeEach
    void cleanSlate() {
        kite.reset();
        redis.flushall();
        // FLUSHALL publishes no event, so the replica's near copy and last known token are dropped by hand.
        replica.endedHere();
    }
}
