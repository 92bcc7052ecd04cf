package dev.kitetoken.token;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.kite.KiteSession;

/** Turns a fresh Kite session into the stored token and answers what the current token is. */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);

    private final TokenStore store;
    private final TokenExpiry expiry;
    private final Clock clock;
    private final KiteConfig config;
    private final TokenCache cache;

    TokenService(TokenStore store, TokenExpiry expiry, Clock clock, KiteConfig config, TokenCache cache) {
        this.store = store;
        this.cache = cache;
        this.expiry = expiry;
        this.clock = clock;
        this.config = config;
    }

    public StoredSession store(KiteSession session) {
        Instant issued = clock.instant();
        StoredSession stored = newSession(session, issued);
        store.save(session.accessToken(), stored, issued);
        // This replica's own readers see the new token at once, before its event comes back from Redis.
        cache.invalidate();
        LOG.infof("Stored token %s for Kite user %s, valid until %s", stored.tokenId(), stored.userId(), stored.expiresAt());
        return stored;
    }

    /** Redis is down: hold the new token on this replica (GET /token serves it) until it is written back. */
    public StoredSession keepPending(KiteSession session) {
        StoredSession stored = newSession(session, clock.instant());
        cache.holdPending(new CurrentToken(session.accessToken(), stored));
        return stored;
    }

    private StoredSession newSession(KiteSession session, Instant issued) {
        ZonedDateTime expiresAt = expiry.cutoffAfter(issued);
        return new StoredSession(
                config.requiredApiKey(),
                session.userId(),
                session.userName(),
                TokenTimes.fromKiteLoginTime(session.loginTime()),
                TokenTimes.format(expiresAt),
                TokenIds.tokenId(session.accessToken()),
                TokenTimes.format(issued.atZone(expiresAt.getZone())));
    }

    public Optional<CurrentToken> current() {
        return store.current(clock.instant());
    }

    public Optional<StoredSession> currentSession() {
        return store.currentSession(clock.instant());
    }
}
