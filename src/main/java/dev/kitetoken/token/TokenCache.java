package dev.kitetoken.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.TokenScripts.WriteBack;
import io.quarkus.scheduler.Scheduled;

/**
 * The replica's near copy of the current token for GET /token, with its JSON body rendered once, and
 * what it keeps for outages (the last known token, a login kept while Redis was down). Read by anyone;
 * changed only through {@link ReplicaState}.
 * <p>
 * Trusted only while the replica hears the events channel: every event, every loss and every regain of the
 * subscription drops it, and a read from Redis that raced with such a drop is not kept (the version check).
 * It never outlives the token's expiry. When Redis cannot be read, the last token this replica knew is
 * served until its expiry: no event can end a token while Redis is down, since every change goes through it.
 * <p>
 * Longer than most classes on purpose: the near copy, the token held for outages, the ended ids and the
 * write-back read and change one set of fields together; split, that state would have two owners.
 */
@ApplicationScoped
public class TokenCache {

    private static final Logger LOG = Logger.getLogger(TokenCache.class);

    /**
     * A token as GET /token serves it, with what the hot path needs computed once: both bodies as bytes
     * (written out as they are, no serialiser involved) and the ETag.
     */
    public record Cached(CurrentToken token, byte[] json, byte[] plain, EntityTag etag, Instant expiresAt) {

        /** The ETag header's value, as Quarkus REST writes {@link #etag()}. */
        public String etagHeader() {
            return '"' + etag.getValue() + '"';
        }
    }

    /** What Redis said at a version: a token, or none (cached too, so that 404s cost nothing either). */
    private record Entry(long version, Cached cached) {
    }

    private final TokenStore store;
    private final LastKnownCheck lastKnownCheck;
    private final ObjectMapper json;
    private final Clock clock;
    private final AtomicLong version = new AtomicLong();
    private final AtomicReference<Entry> entry = new AtomicReference<>();
    private final AtomicReference<Cached> lastKnown = new AtomicReference<>();
    /** The last ended token found back in Redis, so that it is logged once, not on every read. */
    private volatile String lastStaleWarned;
    /**
     * The ids of the last tokens this replica heard end, with the reason: a Redis that lost writes (a failover)
     * may hold one of them again.
     */
    private final Map<String, String> endedIds = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 64;
        }
    };
    private final AtomicReference<CurrentToken> pending = new AtomicReference<>();
    private volatile boolean writeBackNeeded;
    private volatile long nextWriteBack;
    private int writeBackFailures;
    private volatile boolean trusted;

    TokenCache(TokenStore store, LastKnownCheck lastKnownCheck, ObjectMapper json, Clock clock) {
        this.store = store;
        this.lastKnownCheck = lastKnownCheck;
        this.json = json;
        this.clock = clock;
    }

    /** What memory alone says, when it can be trusted: the current token, or that there is none. */
    public record Known(Optional<Cached> current) {
    }

    /**
     * The answer without touching Redis, for callers on an event loop; empty when memory cannot be trusted
     * and {@link #current()} must read Redis (on a worker thread: that read blocks).
     */
    public Optional<Known> fromMemory() {
        Entry known = entry.get();
        if (!trusted || known == null || known.version() != version.get()) {
            return Optional.empty();
        }
        Cached cached = known.cached();
        boolean live = cached != null && cached.expiresAt().isAfter(clock.instant());
        return Optional.of(new Known(live ? Optional.of(cached) : Optional.empty()));
    }

    /** What this replica knows without reading Redis: the trusted copy, else the last known token (for pages). */
    public Optional<Cached> withoutReading() {
        Optional<Known> known = fromMemory();
        if (known.isPresent()) {
            return known.get().current();
        }
        Cached last = lastKnown.get();
        return last != null && last.expiresAt().isAfter(clock.instant()) ? Optional.of(last) : Optional.empty();
    }

    /** The current token, from memory when it can be trusted, else from Redis. */
    public Optional<Cached> current() {
        Optional<Known> known = fromMemory();
        if (known.isPresent()) {
            return known.get().current();
        }
        Instant now = clock.instant();
        Entry seen = entry.get();
        long readAt = version.get();
        Optional<Cached> fresh;
        try {
            fresh = store.current(now).map(this::render);
        } catch (RedisUnavailableException e) {
            Cached last = lastKnown.get();
            if (last != null && last.expiresAt().isAfter(now)) {
                LOG.debugf("Redis unavailable: serving the last known token %s", last.token().session().tokenId());
                lastKnownCheck.serving(last.token(), this::forget);
                return Optional.of(last);
            }
            throw e;
        }
        if (fresh.isPresent() && hasEnded(fresh.get())) {
            // Redis lost the writes that ended it (a failover): never served again; what this replica holds
            // instead is written back (store-if-newer), which also announces the end again.
            String staleId = fresh.get().token().session().tokenId();
            if (!staleId.equals(lastStaleWarned)) {
                lastStaleWarned = staleId;
                LOG.warnf("Redis holds token %s, which has ended: not served; writing back what this replica holds", staleId);
            }
            writeBackNeeded = true;
            Cached last = lastKnown.get();
            return last != null && last.expiresAt().isAfter(now) && !hasEnded(last) ? Optional.of(last) : Optional.empty();
        }
        if (version.get() == readAt) {
            // Only a read that no event overtook may set what is served during an outage. Redis saying "no
            // token" clears it, so a token that ended cannot come back in a later outage; but not before
            // this replica has offered it back (Redis may just have restarted empty).
            if (fresh.isPresent()) {
                lastKnown.set(fresh.get());
            } else if (trusted && !writeBackNeeded) {
                CurrentToken held = pending.get();
                lastKnown.set(held == null ? null : render(held));
            }
            if (trusted) {
                entry.compareAndSet(seen, new Entry(readAt, fresh.orElse(null)));
            }
        }
        return fresh;
    }

    /**
     * A token issued while Redis was down: served as the last known one, and written to Redis (with its
     * {@code issued} event) by {@link #writeBack()} as soon as Redis answers.
     */
    void holdPending(CurrentToken token) {
        pending.set(token);
        lastKnown.set(render(token));
        writeBackNeeded = true;
        invalidate();
    }

    Optional<CurrentToken> pendingLogin() {
        return Optional.ofNullable(pending.get());
    }

    /** The same for a login a peer kept, unless what this replica holds was issued later. */
    boolean holdPendingIfNewer(CurrentToken token) {
        CurrentToken held = pending.get();
        Cached last = lastKnown.get();
        long newest = Math.max(held == null ? 0 : held.session().issuedMs(), last == null ? 0 : last.token().session().issuedMs());
        if (token.session().issuedMs() <= newest && (held == null || !held.session().tokenId().equals(token.session().tokenId()))) {
            return false;
        }
        holdPending(token);
        return true;
    }

    /** This replica stored it in Redis: the last known token from now, before any read or event. */
    void storedHere(CurrentToken token) {
        lastKnown.set(render(token));
        invalidate();
    }

    /** The replica (re)subscribed: Redis may have restarted empty, so what this replica holds is offered again. */
    void offerWriteBack() {
        writeBackNeeded = true;
    }

    /**
     * Writes what this replica holds and Redis may not: a login kept while Redis was down, or the last
     * known token after Redis restarted empty. Store-if-newer, in one script (TokenScripts.WRITE_BACK): never
     * over a newer token, never a token that has ended; its {@code issued} event makes every replica drop
     * its copy. Runs after every (re)subscription and, while anything is left to write, on a timer with
     * back-off (1 s, then every 2 s).
     */
    void writeBack() {
        if (!writeBackNeeded) {
            return;
        }
        Instant now = clock.instant();
        CurrentToken held = pending.get();
        String reason = TokenEvent.REASON_LOGIN;
        if (held == null) {
            Cached last = lastKnown.get();
            held = last == null ? null : last.token();
            reason = TokenEvent.REASON_RESTORED;
        }
        if (held == null || !held.expiresAt().isAfter(now)) {
            endStaleInRedis(now);
            pending.set(null);
            writeBackNeeded = false;
            return;
        }
        String tokenId = held.session().tokenId();
        if (store.currentSession(now).map(current -> current.tokenId().equals(tokenId)).orElse(false)) {
            // Redis holds it (the common case after a reconnect): nothing to write, nothing to ask Kite.
            writeBackDone(held);
            return;
        }
        // Kite killed it meanwhile (a login elsewhere, a logout): announce its end, never store it.
        if (lastKnownCheck.rejectedNow(held)) {
            // A login this replica kept may never have reached Redis, so its end is announced here (the claim
            // keeps it to one). A token that was in Redis had its end announced by whoever ended it (its claim
            // may be gone with an empty restart, so announcing it again could make it end twice): forgotten.
            if (reason.equals(TokenEvent.REASON_LOGIN)) {
                store.endHeld(held, TokenEvent.REASON_KITE_REJECTED, now);
            }
            LOG.infof("Token %s, held by this replica, is rejected by Kite: not written back", tokenId);
            writeBackDone(held);
            forget(tokenId);
            return;
        }
        WriteBack result = store.writeBack(held, reason, now);
        writeBackDone(held);
        switch (result) {
            case WRITTEN -> LOG.infof("Wrote token %s, which Redis did not hold, back to Redis (%s)", tokenId, reason);
            case SUPERSEDED -> {
                LOG.infof("Token %s, held by this replica, is older than the current one: announced as ended, not written", tokenId);
                forget(tokenId);
            }
            case ENDED -> {
                LOG.debugf("Token %s has ended: not written back, no longer served", tokenId);
                forget(tokenId);
            }
            case NOT_NEEDED -> LOG.debugf("Token %s needs no writing back", tokenId);
        }
        invalidate();
    }

    private void writeBackDone(CurrentToken held) {
        pending.compareAndSet(held, null);
        writeBackNeeded = false;
        writeBackFailures = 0;
        nextWriteBack = 0;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryWriteBack() {
        // nanoTime may be negative: compare by difference, and 0 means "no back-off".
        if (!writeBackNeeded || (nextWriteBack != 0 && System.nanoTime() - nextWriteBack < 0)) {
            return;
        }
        try {
            writeBack();
        } catch (RedisUnavailableException e) {
            // At most 2 s apart: a kept login is written within a few seconds of Redis coming back.
            long delay = Math.min(2, 1L << Math.min(writeBackFailures++, 1));
            nextWriteBack = System.nanoTime() + TimeUnit.SECONDS.toNanos(delay);
            LOG.debugf("Write-back not done (%s): next try in %d s", e.getMessage(), delay);
        }
    }

    /** Something changed (an event), or may have (a reconnect): the next read goes to Redis. */
    void invalidate() {
        version.incrementAndGet();
        entry.set(null);
    }

    /** An event ended or replaced the token: the last known one must not be served even if Redis goes away. */
    void forgetLastKnown() {
        lastKnown.set(null);
    }

    /**
     * An event ended this token: neither served during an outage nor, if this replica kept it as a login
     * while Redis was down, written back or announced again (after an empty restart its claim may be gone,
     * and it would end twice).
     */
    void forgetEnded(String tokenId, String reason) {
        synchronized (endedIds) {
            endedIds.put(tokenId, reason);
        }
        CurrentToken held = pending.updateAndGet(kept -> kept != null && kept.session().tokenId().equals(tokenId) ? null : kept);
        // Only the token that ended is dropped: the newer one a re-login put in its place (its end event can
        // arrive after this replica stored or read the new one) stays what an outage or a failover falls back on.
        lastKnown.updateAndGet(last -> last == null || last.token().session().tokenId().equals(tokenId)
                ? (held == null ? null : render(held)) : last);
    }

    /** Nothing newer to write: a token Redis holds again though it ended (a lost failover write) is deleted. */
    private void endStaleInRedis(Instant now) {
        store.currentSession(now).ifPresent(session -> {
            String reason;
            synchronized (endedIds) {
                reason = endedIds.get(session.tokenId());
            }
            if (reason != null && store.endStale(session.tokenId(), reason, now)) {
                LOG.infof("Token %s, which had ended (%s), was back in Redis: deleted, its end announced again", session.tokenId(), reason);
                invalidate();
            }
        });
    }

    private boolean hasEnded(Cached cached) {
        synchronized (endedIds) {
            return endedIds.containsKey(cached.token().session().tokenId());
        }
    }

    /** A token Kite rejects or a newer one replaced: no longer served, nor written back. */
    private void forget(String tokenId) {
        lastKnown.updateAndGet(last -> last != null && last.token().session().tokenId().equals(tokenId) ? null : last);
        pending.updateAndGet(held -> held != null && held.session().tokenId().equals(tokenId) ? null : held);
        invalidate();
    }

    /** Whether the replica hears the events channel; without it, memory cannot be trusted. */
    void trust(boolean subscribed) {
        invalidate();
        trusted = subscribed;
    }

    private Cached render(CurrentToken token) {
        try {
            return new Cached(token, json.writeValueAsBytes(TokenResponse.of(token)),
                    token.accessToken().getBytes(StandardCharsets.UTF_8), new EntityTag(token.session().tokenId()),
                    token.expiresAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a token response always serialises", e);
        }
    }
}
