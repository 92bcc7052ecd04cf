package dev.kitetoken.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.redis.RedisUnavailableException;

/**
 * The replica's near copy of the current token for GET /token, with its JSON body rendered once.
 * <p>
 * Trusted only while the replica hears the events channel: every event, every loss and every regain of the
 * subscription drops it, and a read from Redis that raced with such a drop is not kept (the version check).
 * It never outlives the token's expiry. When Redis cannot be read, the last token this replica knew is
 * served until its expiry: no event can end a token while Redis is down, since every change goes through it.
 */
@ApplicationScoped
public class TokenCache {

    private static final Logger LOG = Logger.getLogger(TokenCache.class);

    /**
     * A token as GET /token serves it, with what the hot path needs computed once: both bodies as bytes
     * (written out as they are, no serialiser involved) and the ETag.
     */
    public record Cached(CurrentToken token, byte[] json, byte[] plain, EntityTag etag, Instant expiresAt) {
    }

    /** What Redis said at a version: a token, or none (cached too, so that 404s cost nothing either). */
    private record Entry(long version, Cached cached) {
    }

    private final TokenStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final AtomicLong version = new AtomicLong();
    private final AtomicReference<Entry> entry = new AtomicReference<>();
    private final AtomicReference<Cached> lastKnown = new AtomicReference<>();
    private final AtomicReference<CurrentToken> pending = new AtomicReference<>();
    private volatile boolean trusted;

    TokenCache(TokenStore store, ObjectMapper json, Clock clock) {
        this.store = store;
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
                return Optional.of(last);
            }
            throw e;
        }
        fresh.ifPresent(lastKnown::set);
        if (trusted && version.get() == readAt) {
            entry.compareAndSet(seen, new Entry(readAt, fresh.orElse(null)));
        }
        return fresh;
    }

    /**
     * After Redis came back: if it lost the token this replica knows (a restart without persistence), write
     * it back, with its own expiry, unless a newer token is there. Pods reading Redis directly find it again.
     */
    public void restoreIfLost() {
        Cached last = lastKnown.get();
        Instant now = clock.instant();
        if (last != null && last.expiresAt().isAfter(now) && store.restore(last.token(), now)) {
            LOG.infof("Redis had lost token %s: written back until %s", last.token().session().tokenId(),
                    last.token().session().expiresAt());
            invalidate();
        }
    }

    /** A token issued while Redis was down: served as the last known one until it is written. */
    public void holdPending(CurrentToken token) {
        pending.set(token);
        lastKnown.set(render(token));
        invalidate();
    }

    public Optional<CurrentToken> takePending() {
        return Optional.ofNullable(pending.getAndSet(null));
    }

    /** Something changed (an event), or may have (a reconnect): the next read goes to Redis. */
    public void invalidate() {
        version.incrementAndGet();
        entry.set(null);
    }

    /** An event ended or replaced the token: the last known one must not be served even if Redis goes away. */
    public void forgetLastKnown() {
        lastKnown.set(null);
    }

    /** Whether the replica hears the events channel; without it, memory cannot be trusted. */
    public void trust(boolean subscribed) {
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
