package dev.kitetoken.events;

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

    private final EventSubscriber subscriber;

    FirstRedisContactCheck(EventSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("First contact with Redis").status(subscriber.everSubscribed()).build();
    }
}
