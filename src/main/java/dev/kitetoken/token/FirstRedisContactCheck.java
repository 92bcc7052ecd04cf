package dev.kitetoken.token;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once the replica has reached Redis for the first time (subscribed and reconciled): before that it
 * knows no token at all. After that, a Redis outage never makes a replica unready (see HealthGroups).
 */
@Startup
@ApplicationScoped
public class FirstRedisContactCheck implements HealthCheck {

    private final ReplicaState replica;

    FirstRedisContactCheck(ReplicaState replica) {
        this.replica = replica;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("First contact with Redis").status(replica.reconciledOnce()).build();
    }
}
