package dev.kitetoken.login;

import static dev.kitetoken.redis.RedisCalls.call;
import static dev.kitetoken.redis.RedisCalls.run;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;

/**
 * One Redis marker per request_token (keyed by its hash), claimed with SET NX so that exactly one replica
 * calls Kite for it, and later holding the outcome for every duplicate callback.
 */
@ApplicationScoped
public class RequestTokenLedger {

    private static final Logger LOG = Logger.getLogger(RequestTokenLedger.class);
    /** Longer than a request_token lives at Kite (about five minutes). */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final RedisKeys keys;
    private final ObjectMapper json;

    RequestTokenLedger(RedisDataSource redis, RedisKeys keys, ObjectMapper json) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.keys = keys;
        this.json = json;
    }

    /** True when this caller is the one that must call Kite for this request_token. */
    public boolean claim(String requestTokenHash, String stateHash) {
        String pending = toJson(new ExchangeMarker(stateHash, null));
        // SET NX EX in one command: a SETNX followed by EXPIRE could leave an immortal marker behind.
        return call("claim request_token", () -> redis.execute("SET", keys.exchange(requestTokenHash), pending,
                "NX", "EX", Long.toString(LIFETIME.toSeconds()))) != null;
    }

    public Optional<ExchangeMarker> read(String requestTokenHash) {
        String value = call("read request_token marker", () -> values.get(keys.exchange(requestTokenHash)));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(value, ExchangeMarker.class));
        } catch (JsonProcessingException e) {
            LOG.warn("Ignoring an exchange marker that is not JSON written by this service");
            return Optional.empty();
        }
    }

    public void complete(String requestTokenHash, String stateHash, ExchangeOutcome outcome) {
        String done = toJson(new ExchangeMarker(stateHash, outcome));
        run("record exchange outcome", () -> values.set(keys.exchange(requestTokenHash), done, new SetArgs().ex(LIFETIME)));
    }

    /** Gives the request_token back when the claimer turned out not to be allowed to use it. */
    public void release(String requestTokenHash) {
        run("release request_token", () -> values.getdel(keys.exchange(requestTokenHash)));
    }

    private String toJson(ExchangeMarker marker) {
        try {
            return json.writeValueAsString(marker);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an exchange marker always serialises", e);
        }
    }
}
