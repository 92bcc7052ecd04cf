package dev.kitetoken.token;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.web.ProblemException;
import dev.kitetoken.kite.KiteSession;

/** Turns a fresh Kite session into the stored token and answers what the current token is. */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);

    private final TokenStore store;
    private final TokenExpiry expiry;
    private final Clock clock;
    private final KiteConfig config;
    private final ReplicaState replica;

    TokenService(TokenStore store, TokenExpiry expiry, Clock clock, KiteConfig config, ReplicaState replica) {
        this.store = store;
        this.replica = replica;
        this.expiry = expiry;
        this.clock = clock;
        this.config = config;
    }

    public StoredSession store(KiteSession session) {
        Instant issued = clock.instant();
        StoredSession stored = newSession(session, issued);
        if (!store.save(session.accessToken(), stored, issued)) {
            LOG.infof("Token %s was not stored: a login that reached Kite later is already current", stored.tokenId());
            throw laterLoginWon();
        }
        // This replica's own readers see the new token at once, before its event comes back from Redis.
        replica.storedHere(new CurrentToken(session.accessToken(), stored));
        LOG.infof("Stored token %s for Kite user %s, valid until %s", stored.tokenId(), stored.userId(), stored.expiresAt());
        return stored;
    }

    /** A login that lost to one Kite issued after it (Kite keeps one session per app). */
    public static ProblemException laterLoginWon() {
        return new ProblemException(409, "A later login won",
                "Someone else logged in to this Kite app at the same moment, after you; theirs is the current session (Kite keeps one).");
    }

    /** Redis is down: hold the new token on this replica (GET /token serves it) until it is written back. */
    public CurrentToken keepPending(KiteSession session) {
        CurrentToken kept = new CurrentToken(session.accessToken(), newSession(session, clock.instant()));
        replica.keptHere(kept);
        return kept;
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
                TokenTimes.format(issued.atZone(expiresAt.getZone())),
                issued.toEpochMilli());
    }

    public Optional<CurrentToken> current() {
        return store.current(clock.instant());
    }

    public Optional<StoredSession> currentSession() {
        return store.currentSession(clock.instant());
    }
}
