package dev.kitetoken.login;

import static dev.kitetoken.redis.RedisCalls.call;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;

/**
 * The state nonces that tie a callback to a login this service started. Kept in Redis so that any replica
 * can finish a login another one began; each is single-use (GETDEL) and lives ten minutes.
 */
@ApplicationScoped
public class LoginStateStore {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    /** 32 random bytes in URL-safe base64 without padding. */
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random = new SecureRandom();
    private final ValueCommands<String, String> values;
    private final RedisKeys keys;

    LoginStateStore(RedisDataSource redis, RedisKeys keys) {
        this.values = redis.value(String.class);
        this.keys = keys;
    }

    public String issue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        call("store login state", () -> {
            values.set(keys.loginState(nonce), "1", new SetArgs().ex(LIFETIME));
            return null;
        });
        return nonce;
    }

    /** True once for a nonce issued in the last ten minutes, false for anything else. */
    public boolean consume(String nonce) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            return false;
        }
        return call("consume login state", () -> values.getdel(keys.loginState(nonce))) != null;
    }
}
