package dev.kitetoken.token;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.kitetoken.events.EventSubscriber;
import dev.kitetoken.events.TokenEventBus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The state an alert watches: is there a token, how long until it dies, does this replica hear events.
 * Read from what the replica already knows from the events, so a scrape never waits on Redis.
 */
@ApplicationScoped
public class TokenGauges {

    void register(@Observes StartupEvent event, MeterRegistry registry, CutoffWatcher watcher, EventSubscriber subscriber,
            TokenEventBus bus, Clock clock) {
        Gauge.builder("kite.token.present", () -> secondsLeft(watcher, clock) > 0 ? 1 : 0)
                .description("1 while this replica knows a current, unexpired token")
                .register(registry);
        Gauge.builder("kite.token.expires.in.seconds", () -> secondsLeft(watcher, clock))
                .description("Seconds until the current token's expiry, 0 without one")
                .register(registry);
        Gauge.builder("kite.events.subscribed", () -> subscriber.listening() ? 1 : 0)
                .description("1 while this replica is subscribed to the events channel")
                .register(registry);
        Gauge.builder("kite.long.polls.waiting", bus::waiting)
                .description("GET /token long-polls waiting for a change on this replica")
                .register(registry);
    }

    private static long secondsLeft(CutoffWatcher watcher, Clock clock) {
        return watcher.currentExpiry().map(expiry -> Math.max(0, Duration.between(clock.instant(), expiry).toSeconds())).orElse(0L);
    }
}
