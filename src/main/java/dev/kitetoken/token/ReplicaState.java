package dev.kitetoken.token;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.events.ChannelListener;
import dev.kitetoken.events.EventLog;
import dev.kitetoken.events.TokenEventBus;
import io.vertx.core.Vertx;

/**
 * The replica's state, changed in one place: what the events transport reports (subscribed, lost, a
 * message) becomes the transitions of the near copy and what is kept for outages ({@link TokenCache}) and
 * of the watched cutoff ({@link CutoffWatcher}), and wakes the long-polls once the copy is fresh.
 * <ul>
 * <li>subscribed: offer back what this replica holds (Redis may have restarted empty), trust reads again,
 * reconcile from Redis and the stream, then wake every waiter;</li>
 * <li>lost: stop trusting the copy at once (reads go to Redis, or the last known token while it cannot),
 * and publish no cutoff until reconciled;</li>
 * <li>an event: drop the copy (and the last known token when the event ends it), follow the cutoff, tell
 * the Server-Sent Events clients, refresh once and wake the waiters;</li>
 * <li>and what this replica does itself, before its event comes back: a login it stored, a login it kept
 * while Redis was down, a token it ended.</li>
 * </ul>
 * Everything else reads the state ({@link TokenCache#fromMemory()}, {@link TokenCache#current()}).
 */
@ApplicationScoped
public class ReplicaState implements ChannelListener {

    private static final Logger LOG = Logger.getLogger(ReplicaState.class);

    private final TokenCache cache;
    private final CutoffWatcher cutoffs;
    private final EventLog eventLog;
    private final TokenEventBus bus;
    private final Vertx vertx;
    private volatile boolean reconciledOnce;

    ReplicaState(TokenCache cache, CutoffWatcher cutoffs, EventLog eventLog, TokenEventBus bus, Vertx vertx) {
        this.cache = cache;
        this.cutoffs = cutoffs;
        this.eventLog = eventLog;
        this.bus = bus;
        this.vertx = vertx;
    }

    /** Whether this replica has reached Redis and reconciled at least once since it started. */
    public boolean reconciledOnce() {
        return reconciledOnce;
    }

    @Override
    public void subscribed() {
        // Offered back before reads are trusted again, so that an empty read meanwhile does not make the
        // replica forget a token Redis lost.
        cache.offerWriteBack();
        cache.trust(true);
        vertx.executeBlocking(() -> {
            cache.writeBack();
            cutoffs.reconcile();
            return null;
        }, false).onComplete(result -> {
            if (result.failed()) {
                LOG.warnf("Could not reconcile with Redis after subscribing: %s", result.cause().getMessage());
            } else {
                reconciledOnce = true;
            }
            bus.signalChange();
        });
    }

    @Override
    public void lost() {
        cache.trust(false);
        cutoffs.outOfStep();
    }

    @Override
    public void heard(String message) {
        eventLog.parse(message).ifPresent(event -> {
            cache.invalidate();
            if (event.endsToken()) {
                cache.forgetEnded(event.tokenId(), event.reason());
            }
            cutoffs.onEvent(event, message);
            bus.publish(event);
            refreshThenWake();
        });
    }

    /**
     * Redis lost its data though every connection stayed up (on a cluster the subscriber may sit on another
     * node than the one that restarted empty): what this replica holds is offered back, as after a reconnect.
     */
    public void redisLostData() {
        cache.offerWriteBack();
        cache.invalidate();
        cache.writeBack();
        cutoffs.reconcile();
        bus.signalChange();
    }

    /**
     * This replica stored a new token: its own readers see it at once, before the event comes back, and it is
     * what this replica serves and writes back should Redis go away or lose it (a failover right after).
     */
    public void storedHere(CurrentToken token) {
        cache.storedHere(token);
    }

    /** This replica kept a login while Redis was down: served at once, written back when Redis answers. */
    public void keptHere(CurrentToken token) {
        cache.holdPending(token);
    }

    /**
     * A peer that could not write a login to Redis offered it: kept here too, unless this replica holds a newer
     * one, and written back when Redis answers (store-if-newer, so whichever replica writes first wins).
     */
    public boolean keptForPeer(CurrentToken token) {
        return cache.holdPendingIfNewer(token);
    }

    /** The login this replica keeps until Redis answers, if any. */
    public java.util.Optional<CurrentToken> kept() {
        return cache.pendingLogin();
    }

    /** This replica ended a token: no reader of it gets that token again, not even during a later outage. */
    public void endedHere() {
        cache.invalidate();
        cache.forgetLastKnown();
    }

    /**
     * Reads the new state once, on a worker (the read blocks), and only then wakes the long-polls: a
     * thousand waiters then answer from memory instead of each queueing for a worker to read Redis.
     */
    private void refreshThenWake() {
        vertx.executeBlocking(() -> cache.current(), false)
                .onComplete(ignored -> bus.signalChange());
    }
}
