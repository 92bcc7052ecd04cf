package dev.kitetoken.token;

import static dev.kitetoken.redis.RedisCalls.call;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.kitetoken.json.JsonCodec;
import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;

/**
 * The two keys that trading pods read: the raw token and the session JSON. They are written together by
 * one script with the same absolute expiry, so a reader never sees one without the other, and Redis drops
 * both at the cutoff by itself.
 */
@ApplicationScoped
public class TokenStore {

    private final TokenScripts scripts;
    private final ValueCommands<String, String> values;
    private final RedisKeys keys;
    private final JsonCodec json;

    TokenStore(RedisDataSource redis, TokenScripts scripts, RedisKeys keys, JsonCodec json) {
        this.scripts = scripts;
        this.values = redis.value(String.class);
        this.keys = keys;
        this.json = json;
    }

    /**
     * Writes both keys with the same absolute expiry and publishes {@code issued} (and {@code invalidated}
     * for a token it replaces), atomically; false, writing nothing, when a later login is already current.
     */
    public boolean save(String accessToken, StoredSession session, Instant now) {
        return scripts.store(accessToken, toJson(session), OffsetDateTime.parse(session.expiresAt()).toInstant(), now);
    }

    /** Writes a token this replica holds and Redis does not, store-if-newer (see TokenScripts). */
    public TokenScripts.WriteBack writeBack(CurrentToken token, String reason, Instant now) {
        return scripts.writeBack(token.accessToken(), toJson(token.session()), token.expiresAt(), reason, now);
    }

    /** Announces the end of a token this replica held and Redis never had (see TokenScripts). */
    public boolean endHeld(CurrentToken token, String reason, Instant now) {
        return scripts.endHeld(toJson(token.session()), reason, now);
    }

    /**
     * Deletes a token that has ended but that Redis holds again (a failover lost the writes that ended it),
     * announcing its end again; nothing when Redis holds another token. True when it was deleted.
     */
    public boolean endStale(String tokenId, String reason, Instant now) {
        return end(tokenId, reason, now).deleted();
    }

    /** Ends the current token if it is still {@code tokenId} (compare-and-delete), publishing why, once. */
    public TokenScripts.Invalidation end(String tokenId, String reason, Instant now) {
        return scripts.invalidate(tokenId, reason, now);
    }

    /** Publishes the cutoff of the token stored as {@code sessionJson}: one replica of all that try does. */
    public TokenScripts.Cutoff expire(String sessionJson, Instant now) {
        return scripts.expire(sessionJson, now);
    }

    /** The session as stored, for scripts that need its fields. */
    public String toJson(StoredSession session) {
        return json.write(session);
    }

    /** The current token, if both keys are there and the session has not passed its expiry. */
    public Optional<CurrentToken> current(Instant now) {
        Map<String, String> found = call("read token", () -> values.mget(keys.accessToken(), keys.session()));
        String accessToken = found.get(keys.accessToken());
        Optional<StoredSession> session = parse(found.get(keys.session()));
        if (accessToken == null || session.isEmpty()) {
            return Optional.empty();
        }
        CurrentToken current = new CurrentToken(accessToken, session.get());
        return current.expiresAt().isAfter(now) ? Optional.of(current) : Optional.empty();
    }

    /** The current session without its token, for pages that must not hold the token at all. */
    public Optional<StoredSession> currentSession(Instant now) {
        return parse(call("read session", () -> values.get(keys.session())))
                .filter(s -> OffsetDateTime.parse(s.expiresAt()).toInstant().isAfter(now));
    }

    private Optional<StoredSession> parse(String sessionJson) {
        return json.read(sessionJson, StoredSession.class, keys.session());
    }
}
