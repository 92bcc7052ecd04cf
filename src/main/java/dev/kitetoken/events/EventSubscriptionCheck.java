package dev.kitetoken.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.kitetoken.health.HealthGroups;
import io.smallrye.health.api.HealthGroup;

/**
 * Whether the replica hears the events channel (a dependency, not readiness: see {@link HealthGroups}).
 * Redis answering PING is not enough, since a subscription lost in a Redis restart, or one whose
 * connection went silent, would otherwise go unnoticed.
 */
@HealthGroup(HealthGroups.DEPENDENCIES)
@ApplicationScoped
public class EventSubscriptionCheck implements HealthCheck {

    private final EventSubscriber subscriber;

    EventSubscriptionCheck(EventSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Redis events subscription").status(subscriber.listening()).build();
    }
}
