package dev.kitetoken.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.kitetoken.redis.RedisKeys;
import dev.kitetoken.token.TokenCache;
import dev.kitetoken.token.TokenService;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Keeps this replica subscribed to the events channel. Quarkus' subscription does not survive a Redis
 * restart or a dropped connection, so on either it resubscribes with back-off and then reconciles from
 * the stream, since pub/sub delivers nothing that was published while it was away.
 */
@ApplicationScoped
public class EventSubscriber {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final RedisKeys keys;
    private final EventLog eventLog;
    private final CutoffWatcher cutoffs;
    private final TokenEventBus bus;
    private final TokenCache cache;
    private final TokenService tokens;
    private final Vertx vertx;
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private volatile boolean listening;
    private volatile boolean stopping;
    private volatile ReactiveRedisSubscriber subscriber;
    private int failures;

    EventSubscriber(ReactiveRedisDataSource redis, RedisKeys keys, EventLog eventLog, CutoffWatcher cutoffs,
            TokenEventBus bus, TokenCache cache, TokenService tokens, Vertx vertx) {
        this.cache = cache;
        this.tokens = tokens;
        this.redis = redis;
        this.keys = keys;
        this.eventLog = eventLog;
        this.cutoffs = cutoffs;
        this.bus = bus;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        subscribe();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        ReactiveRedisSubscriber current = subscriber;
        if (current != null) {
            current.unsubscribe().subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    /** Whether this replica currently hears the events channel; reported by the readiness check. */
    public boolean listening() {
        return listening;
    }

    private void subscribe() {
        if (stopping) {
            return;
        }
        redis.pubsub(String.class)
                .subscribe(keys.eventsChannel(), this::onMessage, () -> lost("the connection ended"),
                        failure -> lost(failure.getClass().getSimpleName()))
                .subscribe().with(this::subscribed, failure -> lost(failure.getClass().getSimpleName()));
    }

    private void subscribed(ReactiveRedisSubscriber subscription) {
        subscriber = subscription;
        listening = true;
        cache.trust(true);
        if (failures > 0) {
            LOG.infof("Resubscribed to %s", keys.eventsChannel());
        }
        failures = 0;
        vertx.executeBlocking(() -> {
            tokens.flushPending();
            cache.restoreIfLost();
            cutoffs.reconcile();
            return null;
        }, false).onComplete(result -> {
            if (result.failed()) {
                LOG.warnf("Could not reconcile from %s: %s", keys.eventsStream(), result.cause().getMessage());
            }
            bus.signalChange();
        });
    }

    private void onMessage(String json) {
        eventLog.parse(json).ifPresent(event -> {
            cache.invalidate();
            if (event.endsToken()) {
                cache.forgetLastKnown();
            }
            cutoffs.onEvent(event, json);
            bus.publish(event);
            refreshThenWake();
        });
    }

    /**
     * Reads the new state once, on a worker (the read blocks), and only then wakes the long-polls: a
     * thousand waiters then answer from memory instead of each reading Redis (measured: the last of 200
     * answered 370 ms after the event that way, most of it queueing for worker threads).
     */
    private void refreshThenWake() {
        vertx.executeBlocking(() -> cache.current(), false)
                .onComplete(ignored -> bus.signalChange());
    }

    private void lost(String why) {
        listening = false;
        if (stopping) {
            // Our own unsubscribe at shutdown ends here after the container has stopped: touch no bean.
            return;
        }
        cache.trust(false);
        if (!retryScheduled.compareAndSet(false, true)) {
            return;
        }
        long delay = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY_MILLIS << Math.min(failures++, 10));
        // One warning per outage; the retries that follow would only repeat it.
        if (failures == 1) {
            LOG.warnf("Not subscribed to %s (%s); retrying with back-off up to %d ms", keys.eventsChannel(), why, MAX_RETRY.toMillis());
        } else {
            LOG.debugf("Still not subscribed to %s (%s); next try in %d ms", keys.eventsChannel(), why, delay);
        }
        vertx.setTimer(delay, id -> {
            retryScheduled.set(false);
            subscribe();
        });
    }
}
