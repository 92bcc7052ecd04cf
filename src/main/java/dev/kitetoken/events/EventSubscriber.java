package dev.kitetoken.events;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The events transport: keeps this replica subscribed to the events channel and tells its
 * {@link ChannelListener} (the replica's state) when it is subscribed, when it is not, and what it hears.
 * Quarkus' subscription does not survive a Redis restart or a dropped connection, and a connection can go
 * silent without closing; on any of these it resubscribes with back-off.
 */
@ApplicationScoped
public class EventSubscriber {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    /** How often a heartbeat goes round (pool -> Redis -> subscriber connection). */
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);
    /**
     * A subscription that has not heard its own heartbeat for this long is taken for dead, though its
     * connection never closed (a frozen node, a dropped NAT entry): detected within 3 to 4 seconds.
     */
    static final Duration SILENCE = Duration.ofSeconds(3);

    private final ReactivePubSubCommands<String> pubsub;
    private final RedisKeys keys;
    private final ChannelListener listener;
    private final Vertx vertx;
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean stopping;
    private volatile ReactiveRedisSubscriber subscriber;
    private final String heartbeatChannel;
    private volatile long lastHeard;
    private volatile long heartbeatTimer = -1;
    private int failures;

    EventSubscriber(ReactiveRedisDataSource redis, RedisKeys keys, ChannelListener listener, Vertx vertx) {
        this.pubsub = redis.pubsub(String.class);
        this.keys = keys;
        this.listener = listener;
        this.vertx = vertx;
        this.heartbeatChannel = keys.heartbeatChannel(UUID.randomUUID().toString());
    }

    void onStart(@Observes StartupEvent event) {
        subscribe();
        heartbeatTimer = vertx.setPeriodic(HEARTBEAT_EVERY.toMillis(), id -> heartbeat());
    }

    /**
     * A start that fails after StartupEvent (the port is taken) stops the container without a ShutdownEvent;
     * a subscription answering after that must touch no bean, or its errors bury the one line that matters.
     */
    @PreDestroy
    void destroyed() {
        stopping = true;
        vertx.cancelTimer(heartbeatTimer);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        vertx.cancelTimer(heartbeatTimer);
        ReactiveRedisSubscriber current = subscriber;
        if (current != null) {
            current.unsubscribe().subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    /** Whether this replica currently hears the events channel; reported in the dependencies health group. */
    public boolean listening() {
        return listening;
    }

    private void subscribe() {
        if (stopping) {
            return;
        }
        // Callbacks of an older subscription (one given up as silent) must not touch the current one.
        long attempt = generation.incrementAndGet();
        pubsub.subscribe(List.of(keys.eventsChannel(), heartbeatChannel), (channel, message) -> {
                    if (attempt == generation.get()) {
                        onMessage(channel, message);
                    }
                }, () -> lostIfCurrent(attempt, "the connection ended"), failure -> lostIfCurrent(attempt, failure.getClass().getSimpleName()))
                .ifNoItem().after(SILENCE).fail()
                .subscribe().with(subscription -> {
                    if (attempt == generation.get()) {
                        subscribed(subscription);
                    } else {
                        subscription.unsubscribe().subscribe().with(ignored -> { }, ignored -> { });
                    }
                }, failure -> lostIfCurrent(attempt, failure.getClass().getSimpleName()));
    }

    private void lostIfCurrent(long attempt, String why) {
        if (attempt == generation.get()) {
            lost(why);
        }
    }

    /**
     * Every second: a subscription that has not heard its own heartbeat for {@link #SILENCE} is dead, and
     * the near copy stops being trusted at once; then the next heartbeat goes out through the pool.
     */
    private void heartbeat() {
        if (stopping) {
            return;
        }
        if (listening && System.nanoTime() - lastHeard > SILENCE.toNanos()) {
            ReactiveRedisSubscriber silent = subscriber;
            subscriber = null;
            generation.incrementAndGet();
            // The silent connection may never answer an UNSUBSCRIBE: ask, but do not wait for it.
            if (silent != null) {
                silent.unsubscribe().subscribe().with(ignored -> { }, ignored -> { });
            }
            lost("no heartbeat for " + SILENCE.toSeconds() + " s: the connection went silent");
            return;
        }
        if (listening) {
            pubsub.publish(heartbeatChannel, "beat")
                    .ifNoItem().after(SILENCE).fail()
                    .subscribe().with(ignored -> { }, failure -> LOG.debugf("Heartbeat not sent: %s", failure.getClass().getSimpleName()));
        }
    }

    private void subscribed(ReactiveRedisSubscriber subscription) {
        if (stopping) {
            subscription.unsubscribe().subscribe().with(ignored -> { }, ignored -> { });
            return;
        }
        subscriber = subscription;
        lastHeard = System.nanoTime();
        listening = true;
        if (failures > 0) {
            LOG.infof("Resubscribed to %s", keys.eventsChannel());
        }
        failures = 0;
        listener.subscribed();
    }

    private void onMessage(String channel, String json) {
        if (stopping) {
            return;
        }
        if (channel.equals(heartbeatChannel)) {
            lastHeard = System.nanoTime();
            return;
        }
        listener.heard(json);
    }

    private void lost(String why) {
        listening = false;
        if (stopping) {
            // Our own unsubscribe at shutdown ends here after the container has stopped: touch no bean.
            return;
        }
        listener.lost();
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
