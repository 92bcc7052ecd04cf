package dev.kitetoken.token;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.events.EventLog;
import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.TokenScripts.Cutoff;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes {@code expired} (reason {@code cutoff}) when the current token reaches its expiry. Every
 * replica watches and tries; the per-token claim in {@link TokenScripts} lets exactly one of them publish,
 * even when the replica that issued the token is gone. Keyspace notifications are not used: they arrive
 * late, are lost while disconnected and are often disabled on managed Redis.
 */
@ApplicationScoped
public class CutoffWatcher {

    private static final Logger LOG = Logger.getLogger(CutoffWatcher.class);

    /** The token this replica expects to expire next, with the event JSON that names it. */
    private record Watched(String tokenId, Instant expiresAt, String json) {
    }

    private final AtomicReference<Watched> watched = new AtomicReference<>();
    /**
     * Whether the watched token is known to be current: not while the replica does not hear the events
     * (an end it missed, and a Redis restart that lost that end's claim, would let it publish a second end).
     */
    private volatile boolean inStep;
    private final TokenService tokens;
    private final TokenStore store;
    private final EventLog eventLog;
    private final Clock clock;

    CutoffWatcher(TokenService tokens, TokenStore store, EventLog eventLog, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.eventLog = eventLog;
        this.clock = clock;
    }

    /** The expiry of the token this replica knows as current, if any. */
    public Optional<Instant> currentExpiry() {
        return Optional.ofNullable(watched.get()).map(Watched::expiresAt);
    }

    /** The replica stopped hearing the events: publish no cutoff until it has reconciled again. */
    public void outOfStep() {
        inStep = false;
    }

    /** Every event this replica hears: a new token is watched, a token that ended is not. */
    public void onEvent(TokenEvent event, String json) {
        if (TokenEvent.ISSUED.equals(event.type())) {
            watched.set(new Watched(event.tokenId(), OffsetDateTime.parse(event.expiresAt()).toInstant(), json));
        } else if (event.endsToken()) {
            watched.updateAndGet(w -> w != null && w.tokenId().equals(event.tokenId()) ? null : w);
        }
    }

    /**
     * After (re)subscribing: publish the cutoff of a token whose expiry passed while no replica was
     * listening (all were down at 06:00; the stream tells whether it was published), then watch whatever
     * token Redis holds now.
     */
    public void reconcile() {
        Instant now = clock.instant();
        eventLog.latestIssued()
                .filter(latest -> !OffsetDateTime.parse(latest.event().expiresAt()).toInstant().isAfter(now))
                .ifPresent(latest -> publishCutoff(latest.event().tokenId(), latest.json(), now));
        // An event heard while Redis was being read is newer than that read: it keeps the word.
        Watched before = watched.get();
        Watched fresh = tokens.currentSession()
                .map(s -> new Watched(s.tokenId(), OffsetDateTime.parse(s.expiresAt()).toInstant(), store.toJson(s)))
                .orElse(null);
        watched.compareAndSet(before, fresh);
        inStep = true;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkCutoff() {
        Watched current = watched.get();
        Instant now = clock.instant();
        if (!inStep || current == null || current.expiresAt().isAfter(now)) {
            return;
        }
        if (publishCutoff(current.tokenId(), current.json(), now) != Cutoff.NOT_YET) {
            watched.compareAndSet(current, null);
        }
    }

    private Cutoff publishCutoff(String tokenId, String json, Instant now) {
        try {
            Cutoff cutoff = store.expire(json, now);
            if (cutoff == Cutoff.PUBLISHED) {
                LOG.infof("Token %s reached its cutoff: published expired", tokenId);
            }
            return cutoff;
        } catch (RedisUnavailableException e) {
            LOG.debugf("Cutoff of token %s not published yet: %s", tokenId, e.getMessage());
            return Cutoff.NOT_YET;
        }
    }
}
