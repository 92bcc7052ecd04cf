package dev.kitetoken.token;

import static dev.kitetoken.redis.RedisCalls.call;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.kite.KiteClient.Verdict;
import dev.kitetoken.kite.KiteClient;
import dev.kitetoken.kite.KiteException;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.redis.RedisKeys;
import dev.kitetoken.web.ProblemException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.smallrye.faulttolerance.api.RateLimitException;

/**
 * Ends the current token on purpose: when a pod reports it rejected, when an operator logs out, and when
 * the periodic check finds Kite rejecting it. Every path is a compare-and-delete on the token_id, so a
 * slow report about an older token can never kill a fresh one.
 */
@ApplicationScoped
public class TokenInvalidation {

    private static final Logger LOG = Logger.getLogger(TokenInvalidation.class);
    /** Kite is asked about one token at most once in this window, whatever the number of reports and replicas. */
    static final Duration VERDICT_LIFETIME = Duration.ofSeconds(5);

    private final TokenService tokens;
    private final TokenStore store;
    private final KiteClient kite;
    private final ValueCommands<String, String> values;
    private final RedisKeys keys;
    private final Clock clock;
    private final KiteMetrics metrics;
    private final ReplicaState replica;

    TokenInvalidation(TokenService tokens, TokenStore store, KiteClient kite, RedisDataSource redis, RedisKeys keys,
            Clock clock, KiteMetrics metrics, ReplicaState replica) {
        this.metrics = metrics;
        this.replica = replica;
        this.tokens = tokens;
        this.store = store;
        this.kite = kite;
        this.values = redis.value(String.class);
        this.keys = keys;
        this.clock = clock;
    }

    /** A pod got a TokenException with this token: end it if it is current and Kite confirms it is dead. */
    public InvalidationResult report(String tokenId) {
        Optional<CurrentToken> current = tokens.current();
        if (current.isEmpty()) {
            metrics.report("no_token");
            return new InvalidationResult(false, tokenId, null, null, "There is no current token.");
        }
        String currentId = current.get().session().tokenId();
        if (!currentId.equals(tokenId)) {
            metrics.report("stale");
            return new InvalidationResult(false, tokenId, currentId, null,
                    "The reported token is not the current one; read the current token again.");
        }
        Verdict verdict;
        try {
            verdict = verdict(current.get());
        } catch (ProblemException e) {
            metrics.report("unconfirmed");
            throw e;
        }
        if (verdict == Verdict.VALID) {
            metrics.report("still_valid");
            LOG.infof("Report about token %s ignored: Kite still accepts it", tokenId);
            return new InvalidationResult(false, tokenId, currentId, null,
                    "Kite still accepts this token; the failure was elsewhere (network, permissions, the request).");
        }
        metrics.report("invalidated");
        return end(tokenId, TokenEvent.REASON_REPORTED, null);
    }

    /** An operator logs the session out, at Kite and here. */
    public InvalidationResult logout() {
        CurrentToken current = tokens.current().orElseThrow(() -> new ProblemException(404, "No valid token",
                "There is no session to log out."));
        boolean atKite = kite.logout(current.accessToken());
        return end(current.session().tokenId(), TokenEvent.REASON_LOGOUT, atKite);
    }

    /** The periodic check: ask Kite about the current token and end it if Kite rejects it. */
    public void checkWithKite() {
        Optional<CurrentToken> current = tokens.current();
        if (current.isEmpty()) {
            return;
        }
        try {
            if (verdict(current.get()) == Verdict.REJECTED) {
                end(current.get().session().tokenId(), TokenEvent.REASON_KITE_REJECTED, null);
            }
        } catch (ProblemException e) {
            // Kite unreachable or rate-limited is not a rejection: the token stays.
            LOG.warnf("Periodic check of token %s skipped: %s", current.get().session().tokenId(), e.detail());
        }
    }

    private InvalidationResult end(String tokenId, String reason, Boolean kiteLoggedOut) {
        TokenScripts.Invalidation result = store.end(tokenId, reason, clock.instant());
        if (result.deleted()) {
            // Before the event comes back from Redis: no reader of this replica gets the dead token again.
            replica.endedHere();
            LOG.infof("Token %s invalidated (%s)", tokenId, reason);
        }
        return new InvalidationResult(result.deleted(), tokenId, result.deleted() ? null : result.currentTokenId(),
                kiteLoggedOut, null);
    }

    /** Kite's answer about the token, shared through Redis for a few seconds across reports and replicas. */
    private Verdict verdict(CurrentToken token) {
        String key = keys.kiteVerdict(token.session().tokenId());
        String cached = call("read Kite verdict", () -> values.get(key));
        if (cached != null) {
            return Verdict.valueOf(cached);
        }
        Verdict verdict;
        try {
            verdict = kite.checkToken(token.accessToken());
        } catch (KiteException | RateLimitException e) {
            throw new ProblemException(503, "Kite could not confirm",
                    "Kite could not be asked whether the token still works, so nothing was changed. Try again shortly.",
                    false, Map.of("Retry-After", "5"));
        }
        call("store Kite verdict", () -> {
            values.set(key, verdict.name(), new SetArgs().ex(VERDICT_LIFETIME));
            return null;
        });
        return verdict;
    }
}
