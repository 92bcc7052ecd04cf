package dev.kitetoken.login;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.hashing.Sha256;
import dev.kitetoken.kite.KiteClient;
import dev.kitetoken.kite.KiteException;
import dev.kitetoken.kite.KiteSession;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.peers.Peers;
import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.CurrentToken;
import dev.kitetoken.token.StoredSession;
import dev.kitetoken.token.TokenService;
import dev.kitetoken.web.ProblemException;

/**
 * Finishes a login: checks what Kite sent back, makes sure exactly one caller exchanges each request_token
 * (browser refreshes, double redirects and replicas racing each other all happen), and stores the token.
 */
@ApplicationScoped
public class CallbackService {

    private static final Logger LOG = Logger.getLogger(CallbackService.class);
    private static final Duration POLL = Duration.ofMillis(25);
    /** How much longer than the Kite timeout a duplicate waits for the first attempt's outcome. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(3);

    private final RequestTokenLedger ledger;
    private final LoginStateStore states;
    private final KiteClient kite;
    private final TokenService tokens;
    private final KiteConfig config;
    private final KiteMetrics metrics;
    private final ExchangeQuota quota;
    private final AllowedUsers allowedUsers;
    private final FinishedHere finishedHere;
    private final Peers peers;

    CallbackService(RequestTokenLedger ledger, LoginStateStore states, KiteClient kite, TokenService tokens,
            KiteConfig config, KiteMetrics metrics, ExchangeQuota quota, AllowedUsers allowedUsers, FinishedHere finishedHere,
            Peers peers) {
        this.peers = peers;
        this.finishedHere = finishedHere;
        this.quota = quota;
        this.allowedUsers = allowedUsers;
        this.ledger = ledger;
        this.states = states;
        this.kite = kite;
        this.tokens = tokens;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The outcome of the callback; failures that have no outcome of their own are thrown as problems.
     * {@code startedHere}: the browser holds this state in a cookie (the login's, or the one a finished login leaves).
     */
    public ExchangeOutcome complete(String status, String requestToken, String state, boolean startedHere) {
        CallbackParameters.check(status, requestToken, state, startedHere, config.requireState());
        String requestTokenHash = Sha256.hex(requestToken);
        String stateHash = state == null ? "" : Sha256.hex(state);
        long deadline = System.nanoTime() + config.httpTimeout().plus(WAIT_MARGIN).toNanos();
        while (true) {
            boolean claimed;
            try {
                claimed = ledger.claim(requestTokenHash, stateHash);
            } catch (RedisUnavailableException e) {
                return exchangeWithoutRedis(requestToken, state);
            }
            if (claimed) {
                return exchangeAsClaimer(requestToken, requestTokenHash, state, stateHash);
            }
            // Empty when the claimer released the marker between our two calls: the next round claims it.
            Optional<ExchangeMarker> marker = ledger.read(requestTokenHash);
            if (marker.isPresent()) {
                if (config.requireState() && !marker.get().stateHash().equals(stateHash)) {
                    throw invalidState();
                }
                if (marker.get().outcome() != null) {
                    return marker.get().outcome();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ProblemException(504, "Login still in progress",
                        "Another request with this login link is still waiting for Kite. Reload this page in a few seconds.");
            }
            sleep();
        }
    }

    /**
     * The quota is taken after the state's signature is checked and before its single use is spent, so a
     * callback refused for the quota can be reloaded once Retry-After has passed.
     */
    private ExchangeOutcome exchangeAsClaimer(String requestToken, String requestTokenHash, String state, String stateHash) {
        if (config.requireState() && !states.authentic(state)) {
            ledger.release(requestTokenHash);
            throw invalidState();
        }
        // Log in again on Kite's page with a login link that already finished (Back, then the button): a new
        // request_token, the same state. Exchanging it would kill the token the first one gave the pods.
        Optional<ExchangeOutcome> first = state == null ? Optional.empty() : ledger.finished(stateHash);
        if (first.isPresent()) {
            ledger.release(requestTokenHash);
            return first.get();
        }
        try {
            return quota.within(() -> consumeAndExchange(requestToken, requestTokenHash, state, stateHash), ExchangeOutcome.class);
        } catch (ExchangeQuota.Exceeded e) {
            ledger.release(requestTokenHash);
            throw e;
        }
    }

    private ExchangeOutcome consumeAndExchange(String requestToken, String requestTokenHash, String state, String stateHash) {
        if (config.requireState() && !states.consume(state)) {
            ledger.release(requestTokenHash);
            throw invalidState();
        }
        ExchangeOutcome outcome;
        try {
            outcome = exchange(requestToken);
        } catch (ProblemException e) {
            outcome = ExchangeOutcome.failure(e);
        }
        try {
            ledger.complete(requestTokenHash, stateHash, outcome);
        } catch (RedisUnavailableException e) {
            // The caller still gets the outcome; duplicates will report that the first attempt is unfinished.
            LOG.warn("Could not record the exchange outcome for duplicate callbacks: Redis is unavailable");
        }
        return outcome;
    }

    /**
     * Redis is down, but the request_token works once and for minutes only: finish the login rather than
     * lose it. The state is checked by its own signature and against the browser's cookie; its single use and
     * the duplicate guard need Redis and are skipped (Kite itself refuses a request_token twice).
     */
    private ExchangeOutcome exchangeWithoutRedis(String requestToken, String state) {
        if (config.requireState() && !states.authentic(state)) {
            throw invalidState();
        }
        String stateHash = state == null ? null : Sha256.hex(state);
        Optional<ExchangeOutcome> first = stateHash == null ? Optional.empty() : finishedHere.outcome(stateHash);
        if (first.isPresent()) {
            return first.get();
        }
        LOG.warn("Redis is unavailable: finishing a login on its signed state and the browser's cookie");
        ExchangeOutcome outcome = quota.within(() -> {
            try {
                return exchange(requestToken);
            } catch (ProblemException e) {
                return ExchangeOutcome.failure(e);
            }
        }, ExchangeOutcome.class);
        if (stateHash != null) {
            finishedHere.record(stateHash, outcome);
        }
        return outcome;
    }

    private ExchangeOutcome exchange(String requestToken) {
        KiteSession session;
        try {
            session = kite.exchange(requestToken);
        } catch (KiteException e) {
            metrics.exchange(e.failure().name().toLowerCase(java.util.Locale.ROOT));
            throw ExchangeProblems.of(e, config.httpTimeout());
        } catch (BulkheadException e) {
            metrics.exchange("too_many_at_once");
            throw new ProblemException(503, "Too many logins at once",
                    "Too many logins are waiting for Kite right now. Wait a few seconds, then start again at /login.", true,
                    Map.of("Retry-After", "5"));
        }
        allowedUsers.admit(session);
        try {
            StoredSession stored = tokens.store(session);
            metrics.exchange("success");
            return ExchangeOutcome.success(stored);
        } catch (RedisUnavailableException e) {
            // The request_token is spent: keep the token on this replica (served at once, written back as soon as
            // Redis answers), and hand it to a peer that reaches Redis, so every replica serves it now.
            CurrentToken kept = tokens.keepPending(session);
            StoredSession pending = kept.session();
            Peers.HandOff handOff = peers.configured() ? peers.handOff(kept) : Peers.HandOff.NONE;
            if (handOff == Peers.HandOff.STORED) {
                metrics.exchange("handed_to_peer");
                LOG.infof("Kite issued token %s for user %s while this replica cannot reach Redis: a peer stored it",
                        pending.tokenId(), pending.userId());
                return ExchangeOutcome.success(pending);
            }
            if (handOff == Peers.HandOff.SUPERSEDED) {
                metrics.exchange("superseded");
                throw TokenService.laterLoginWon();
            }
            // No replica could store it: kept here, and on every peer that takes it, until Redis answers.
            int keeping = peers.configured() ? peers.offer(kept) : 0;
            metrics.exchange("kept_until_redis_answers");
            LOG.warnf("Kite issued token %s for user %s while Redis is unavailable: kept on this replica and %d peer(s) until Redis answers",
                    pending.tokenId(), pending.userId(), keeping);
            return ExchangeOutcome.pending(pending);
        }
    }

    private static ProblemException invalidState() {
        return ProblemException.restartLogin(400, "Login state is missing, unknown or already used",
                "This callback does not carry a login state issued by this service in the last ten minutes. Start the login at /login.");
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Interrupted", "The service is shutting down. Try again.");
        }
    }
}
