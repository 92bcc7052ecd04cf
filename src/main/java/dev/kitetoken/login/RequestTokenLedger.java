package dev.kitetoken.login;

import static dev.kitetoken.redis.RedisCalls.call;
import static dev.kitetoken.redis.RedisCalls.run;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.kitetoken.json.JsonCodec;
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

    /** Longer than a request_token lives at Kite (about five minutes). */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final RedisKeys keys;
    private final JsonCodec json;

    RequestTokenLedger(RedisDataSource redis, RedisKeys keys, JsonCodec json) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.keys = keys;
        this.json = json;
    }

    /** True when this caller is the one that must call Kite for this request_token. */
    public boolean claim(String requestTokenHash, String stateHash) {
        String pending = json.write(new ExchangeMarker(stateHash, null));
        // SET NX EX in one command: a SETNX followed by EXPIRE could leave an immortal marker behind.
        return call("claim request_token", () -> redis.execute("SET", keys.exchange(requestTokenHash), pending,
                "NX", "EX", Long.toString(LIFETIME.toSeconds()))) != null;
    }

    public Optional<ExchangeMarker> read(String requestTokenHash) {
        String value = call("read request_token marker", () -> values.get(keys.exchange(requestTokenHash)));
        return json.read(value, ExchangeMarker.class, "an exchange marker");
    }

    public void complete(String requestTokenHash, String stateHash, ExchangeOutcome outcome) {
        String done = json.write(new ExchangeMarker(stateHash, outcome));
        run("record exchange outcome", () -> values.set(keys.exchange(requestTokenHash), done, new SetArgs().ex(LIFETIME)));
        if (!stateHash.isEmpty()) {
            run("record the login state's outcome", () -> values.set(keys.finishedLogin(stateHash), done, new SetArgs().ex(LIFETIME)));
        }
    }

    /** The outcome of the login that spent this state, if it finished in the last ten minutes. */
    public Optional<ExchangeOutcome> finished(String stateHash) {
        String value = call("read the login state's outcome", () -> values.get(keys.finishedLogin(stateHash)));
        return json.read(value, ExchangeMarker.class, "a finished login").map(ExchangeMarker::outcome);
    }

    /** Gives the request_token back when the claimer turned out not to be allowed to use it. */
    public void release(String requestTokenHash) {
        run("release request_token", () -> values.getdel(keys.exchange(requestTokenHash)));
    }

}
