package dev.kitetoken.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the replica hears the events channel: Redis answering PING is not enough, since a
 * subscription lost in a Redis restart would otherwise go unnoticed while the built-in check says UP.
 */
@Readiness
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
