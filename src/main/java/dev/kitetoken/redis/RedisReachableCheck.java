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
 * Redis answers within a second, asked about the token's key: on a cluster that reaches the node holding the
 * service's slot (a keyless PING goes to any node, which says little and may be one a failover just removed).
 * A connection that stops answering without closing would otherwise hold the check (and the probe that calls
 * it) until some TCP timeout: the deadline makes it DOWN instead.
 */
@HealthGroup(HealthGroups.DEPENDENCIES)
@ApplicationScoped
public class RedisReachableCheck implements AsyncHealthCheck {

    static final Duration DEADLINE = Duration.ofSeconds(1);

    private final ReactiveRedisDataSource redis;
    private final String tokenKey;

    RedisReachableCheck(ReactiveRedisDataSource redis, RedisKeys keys) {
        this.redis = redis;
        this.tokenKey = keys.accessToken();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("EXISTS", tokenKey)
                .ifNoItem().after(DEADLINE).fail()
                .map(answer -> HealthCheckResponse.up("Redis answers"))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("Redis answers").down()
                        .withData("error", failure.getClass().getSimpleName()).build());
    }
}
