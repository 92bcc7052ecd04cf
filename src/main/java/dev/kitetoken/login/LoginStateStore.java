package dev.kitetoken.login;

import static dev.kitetoken.redis.RedisCalls.call;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * The state that ties a callback to a login this service started. It proves itself: a random nonce, its
 * expiry, and an HMAC of both under a key derived from the api_secret (so any replica checks any other's),
 * so {@code GET /login} writes nothing to Redis, however often anonymous clients call it, and a login works
 * while Redis is down. Its single use is claimed in Redis at the callback ({@code SET NX}, for the rest of
 * its life), when Redis answers.
 */
@ApplicationScoped
public class LoginStateStore {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final int NONCE_BYTES = 16;
    private static final int MAC_BYTES = 32;
    private static final int STATE_BYTES = NONCE_BYTES + Long.BYTES + MAC_BYTES;
    /** The nonce's characters at the start of the state (16 bytes in base64), which name its claim. */
    private static final int NONCE_CHARS = 22;
    /** 56 bytes in URL-safe base64 without padding. */
    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9_-]{75}");
    private static final String HMAC = "HmacSHA256";

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final Clock clock;
    private final RedisDataSource redis;
    private final RedisKeys keys;

    @Inject
    LoginStateStore(RedisDataSource redis, RedisKeys keys, KiteConfig config, Clock clock) {
        this(redis, keys, config.requiredApiSecret(), clock);
    }

    LoginStateStore(RedisDataSource redis, RedisKeys keys, String apiSecret, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        // A key of its own, derived from the api_secret: the secret itself never signs anything here.
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(apiSecret.getBytes(StandardCharsets.UTF_8), HMAC),
                "kite-token-service login state v1".getBytes(StandardCharsets.UTF_8)), HMAC);
    }

    /** A fresh state, valid for {@link #LIFETIME}; nothing is stored. */
    public String issue() {
        ByteBuffer state = ByteBuffer.allocate(STATE_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        state.put(nonce).putLong(clock.instant().plus(LIFETIME).getEpochSecond());
        state.put(hmac(key, state.array(), NONCE_BYTES + Long.BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(state.array());
    }

    /** Whether this state was issued by a replica of this service and has not expired; no Redis involved. */
    public boolean authentic(String state) {
        return expiry(state) != null;
    }

    /**
     * True once for an authentic, unexpired state, false for anything else: the first callback that
     * presents it claims it in Redis.
     */
    public boolean consume(String state) {
        Instant expiresAt = expiry(state);
        if (expiresAt == null) {
            return false;
        }
        // Claimed for the rest of the state's life: after that its MAC check refuses it anyway.
        long seconds = Duration.between(clock.instant(), expiresAt).toSeconds() + 1;
        String claim = keys.loginState(state.substring(0, NONCE_CHARS));
        return call("claim login state", () -> redis.execute("SET", claim, "1", "NX", "EX", Long.toString(seconds))) != null;
    }

    private Instant expiry(String state) {
        if (state == null || !STATE.matcher(state).matches()) {
            return null;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(state);
        // One spelling per state: the decoder ignores the last character's two spare bits.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(state)) {
            return null;
        }
        byte[] expected = hmac(key, bytes, NONCE_BYTES + Long.BYTES);
        byte[] presented = new byte[MAC_BYTES];
        System.arraycopy(bytes, NONCE_BYTES + Long.BYTES, presented, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(expected, presented)) {
            return null;
        }
        Instant expiresAt = Instant.ofEpochSecond(ByteBuffer.wrap(bytes, NONCE_BYTES, Long.BYTES).getLong());
        return expiresAt.isAfter(clock.instant()) ? expiresAt : null;
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        return hmac(key, data, data.length);
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
