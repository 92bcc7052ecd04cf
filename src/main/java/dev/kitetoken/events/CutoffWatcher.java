package dev.kitetoken.events;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.TokenScripts;
import dev.kitetoken.token.TokenScripts.Cutoff;
import dev.kitetoken.token.TokenService;
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
    private final TokenScripts scripts;
    private final TokenService tokens;
    private final EventLog eventLog;
    private final Clock clock;

    CutoffWatcher(TokenScripts scripts, TokenService tokens, EventLog eventLog, Clock clock) {
        this.scripts = scripts;
        this.tokens = tokens;
        this.eventLog = eventLog;
        this.clock = clock;
    }

    /** The expiry of the token this replica knows as current, if any. */
    public Optional<Instant> currentExpiry() {
        return Optional.ofNullable(watched.get()).map(Watched::expiresAt);
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
     * After (re)subscribing: learn the current token, and publish the cutoff of one whose expiry passed
     * while no replica was listening (all were down at 06:00). The stream tells whether it was published.
     */
    public void reconcile() {
        Optional<EventLog.Entry> latest = eventLog.latestIssued();
        if (latest.isEmpty()) {
            watched.set(null);
            return;
        }
        TokenEvent issued = latest.get().event();
        Watched candidate = new Watched(issued.tokenId(), OffsetDateTime.parse(issued.expiresAt()).toInstant(), latest.get().json());
        if (!candidate.expiresAt().isAfter(clock.instant())) {
            watched.set(candidate);
            checkCutoff();
            return;
        }
        // Still before its expiry: it is current only if nothing ended it while this replica was away.
        boolean current = tokens.currentSession().map(s -> s.tokenId().equals(issued.tokenId())).orElse(false);
        watched.set(current ? candidate : null);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkCutoff() {
        Watched current = watched.get();
        Instant now = clock.instant();
        if (current == null || current.expiresAt().isAfter(now)) {
            return;
        }
        try {
            Cutoff cutoff = scripts.expire(current.json(), now);
            if (cutoff == Cutoff.PUBLISHED) {
                LOG.infof("Token %s reached its cutoff at %s: published expired", current.tokenId(), current.expiresAt());
            }
            if (cutoff != Cutoff.NOT_YET) {
                watched.compareAndSet(current, null);
            }
        } catch (RedisUnavailableException e) {
            LOG.debugf("Cutoff of token %s not published yet: %s", current.tokenId(), e.getMessage());
        }
    }
}
