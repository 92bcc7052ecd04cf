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

    /** A login state nonce issued by {@code GET /login}. */
    public String loginState(String nonce) {
        return prefix + ":login-state:" + nonce;
    }

    /** The exchange of one request_token, keyed by a hash so that the single-use token is not in Redis. */
    public String exchange(String requestTokenHash) {
        return prefix + ":exchange:" + requestTokenHash;
    }
}
