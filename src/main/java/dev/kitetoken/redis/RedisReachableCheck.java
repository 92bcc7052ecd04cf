package dev.kitetoken.redis;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.kitetoken.health.HealthGroups;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;

/**
 * Redis answers PING within a second. A connection that stops answering without closing would otherwise
 * hold the check (and the probe that calls it) until some TCP timeout: the deadline makes it DOWN instead.
 */
@HealthGroup(HealthGroups.DEPENDENCIES)
@ApplicationScoped
public class RedisReachableCheck implements AsyncHealthCheck {

    static final Duration DEADLINE = Duration.ofSeconds(1);

    private final ReactiveRedisDataSource redis;

    RedisReachableCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .ifNoItem().after(DEADLINE).fail()
                .map(pong -> HealthCheckResponse.up("Redis answers"))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("Redis answers").down()
                        .withData("error", failure.getClass().getSimpleName()).build());
    }
}
