package dev.kitetoken.redis;

import jakarta.enterprise.context.ApplicationScoped;

import dev.kitetoken.config.KiteConfig;

/**
 * Names of every Redis key the service uses. The first two are a public contract: trading pods read them
 * directly, so their shape must not change without a major version.
 */
@ApplicationScoped
public class RedisKeys {

    private final String prefix;
    private final String apiKey;

    RedisKeys(KiteConfig config) {
        this.prefix = config.redisPrefix();
        this.apiKey = config.apiKey().orElse("");
    }

    /** The raw access token, a plain string. */
    public String accessToken() {
        return prefix + ":access_token:" + apiKey;
    }

    /** The session JSON ({@code StoredSession}). */
    public String session() {
        return prefix + ":session:" + apiKey;
    }

    /** The pub/sub channel every change is published on. */
    public String eventsChannel() {
        return prefix + ":events:" + apiKey;
    }

    /**
     * A channel only this replica listens to: it publishes a heartbeat there through its pool and expects
     * it back on its subscriber connection, which is how a connection that went silent is noticed.
     */
    public String heartbeatChannel(String replicaId) {
        return prefix + ":heartbeat:" + apiKey + ":" + replicaId;
    }

    /** The capped stream every change is appended to, for consumers that were disconnected. */
    public String eventsStream() {
        return prefix + ":events-log:" + apiKey;
    }

    /**
     * The sorted set of ended token_ids: the claim, one member per token, taken by whichever replica
     * publishes the event that ends it (invalidated or expired), is what makes that event happen exactly once.
     */
    public String endedTokens() {
        return prefix + ":ended:" + apiKey;
    }

    /** The claim of one period of the periodic check, so that one replica per period asks Kite. */
    public String checkClaim(long period) {
        return prefix + ":check:" + apiKey + ":" + period;
    }

    /** Kite's recent verdict on a token, shared by replicas so that Kite is asked at most once per few seconds. */
    public String kiteVerdict(String tokenId) {
        return prefix + ":kite-verdict:" + apiKey + ":" + tokenId;
    }

    /**
     * One replica's marker, refreshed on every check and expiring only long after its replica stopped: when
     * it is missing, Redis lost its data (a node restarted empty, a failover lost writes). One per replica, so
     * that every replica notices, not only the first to look.
     */
    public String dataMarker(String replicaId) {
        return prefix + ":marker:" + apiKey + ":" + replicaId;
    }

    /** The claim that makes one replica send the notice for this occasion (a reminder's time, a token's end). */
    public String notice(String occasion) {
        return prefix + ":notice:" + apiKey + ":" + occasion;
    }

    /** A login state nonce issued by {@code GET /login}. */
    public String loginState(String nonce) {
        return prefix + ":login-state:" + nonce;
    }

    /**
     * The outcome of the login that spent one login state, keyed by the state's hash: what a browser that
     * presses Log in again on Kite's page with a finished login link is shown instead of a second exchange.
     */
    public String finishedLogin(String stateHash) {
        return prefix + ":login-finished:" + stateHash;
    }

    /** The exchange of one request_token, keyed by a hash so that the single-use token is not in Redis. */
    public String exchange(String requestTokenHash) {
        return prefix + ":exchange:" + requestTokenHash;
    }
}
