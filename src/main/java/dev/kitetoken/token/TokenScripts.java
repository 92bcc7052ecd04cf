package dev.kitetoken.token;

import static dev.kitetoken.redis.RedisCalls.call;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * The three ways the token keys change, each one Lua script so that the change, the event on the stream
 * and the event on the channel happen together or not at all, whichever replica runs it. The event that
 * ends a token (invalidated or expired) is guarded by a claim (its token_id added to the ended set), so each
 * token ends exactly once, across any number of replicas. Every key a script touches is passed in KEYS, so
 * the scripts run on a Redis Cluster when the prefix's hash tag puts the keys in one slot.
 * <p>
 * Over 200 lines because it carries the Lua source of its scripts; the Java around each is a few lines.
 */
@ApplicationScoped
public class TokenScripts {

    /** Events stay replayable for a long while; the stream is trimmed around this length. */
    static final int STREAM_MAX_LENGTH = 10_000;
    /** Longer than a token lives, so a late replica still sees that a token has already ended. */
    static final Duration ENDED_CLAIM_LIFETIME = Duration.ofDays(8);

    // KEYS: 1 token, 2 session, 3 stream, 4 ended set. ARGV: 1 channel, 2 stream length, 3 now (ISO-8601),
    // 4 now (unix seconds), 5 how long a claim is kept (s), then per script. The ended set holds token_ids
    // scored by when their claim lapses; lapsed ones are dropped whenever a claim is taken.
    private static final String LIBRARY = """
            local function emit(s, type, reason)
              local event = cjson.encode({type = type, api_key = s.api_key, user_id = s.user_id,
                token_id = s.token_id, reason = reason, at = ARGV[3], expires_at = s.expires_at})
              redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'event', event)
              redis.call('PUBLISH', ARGV[1], event)
            end
            local function claim_end(s)
              redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[4])
              return redis.call('ZADD', KEYS[4], 'NX', tonumber(ARGV[4]) + tonumber(ARGV[5]), s.token_id) == 1
            end
            local function has_ended(token_id)
              local lapses = redis.call('ZSCORE', KEYS[4], token_id)
              return lapses and tonumber(lapses) > tonumber(ARGV[4])
            end
            local function not_after(a, b)
              local am, bm = tonumber(a.issued_ms) or 0, tonumber(b.issued_ms) or 0
              if am > 0 and bm > 0 then return am <= bm end
              return a.issued_at <= b.issued_at
            end
            """;

    // ARGV 6 token, 7 session JSON, 8 expiry (unix seconds). A different current token is invalidated
    // (relogin) first: Kite killed it the moment it issued the new one. But a store can reach Redis late (its
    // caller timed out on a silent connection, and the bytes were delivered later): a token issued before
    // the current one is dead at Kite, so it is announced as ended and never written (answers 2).
    private static final String STORE = LIBRARY + """
            local new = cjson.decode(ARGV[7])
            local relogin = 0
            local current = redis.call('GET', KEYS[2])
            if current then
              local old = cjson.decode(current)
              if old.token_id ~= new.token_id and not_after(new, old) then
                if claim_end(new) then emit(new, 'invalidated', 'relogin') end
                return 2
              end
              if old.token_id ~= new.token_id and claim_end(old) then
                emit(old, 'invalidated', 'relogin')
                relogin = 1
              end
            end
            redis.call('SET', KEYS[1], ARGV[6], 'EXAT', ARGV[8])
            redis.call('SET', KEYS[2], ARGV[7], 'EXAT', ARGV[8])
            emit(new, 'issued', 'login')
            return relogin
            """;

    // ARGV 6 token_id the caller believes current, 7 reason. Compare-and-delete: a report about an older
    // token changes nothing. Answers {1 if deleted, the current token_id or '', 1 if it published}.
    private static final String INVALIDATE = LIBRARY + """
            local current = redis.call('GET', KEYS[2])
            if not current then return {0, '', 0} end
            local s = cjson.decode(current)
            if s.token_id ~= ARGV[6] then return {0, s.token_id, 0} end
            redis.call('DEL', KEYS[1], KEYS[2])
            if claim_end(s) then
              emit(s, 'invalidated', ARGV[7])
              return {1, s.token_id, 1}
            end
            return {1, s.token_id, 0}
            """;

    // ARGV 6 JSON naming the token (api_key, user_id, token_id, expires_at). Publishes expired once, and
    // not while Redis still holds the token (answers 2): Redis' clock, which drops the keys, has the last
    // word. Answers 1 when it published, 0 when the token had already ended.
    private static final String EXPIRE = LIBRARY + """
            local s = cjson.decode(ARGV[6])
            local current = redis.call('GET', KEYS[2])
            if current and cjson.decode(current).token_id == s.token_id then return 2 end
            if claim_end(s) then
              emit(s, 'expired', 'cutoff')
              return 1
            end
            return 0
            """;

    // ARGV 6 token, 7 session JSON, 8 expiry, 9 reason of its issued event. Writes a token this replica
    // holds and Redis does not (a login kept while Redis was down, or a token lost in an empty restart),
    // store-if-newer: never a token that has ended, never over a newer one. A token older than the current
    // one is dead at Kite (a newer login killed it): it is announced as ended (relogin), never stored.
    // Answers 1 written (and issued published), 0 already there, 3 ended, 2 a newer token is current.
    private static final String WRITE_BACK = LIBRARY + """
            local new = cjson.decode(ARGV[7])
            if has_ended(new.token_id) then return 3 end
            local current = redis.call('GET', KEYS[2])
            if current then
              local old = cjson.decode(current)
              if old.token_id == new.token_id then return 0 end
              if not_after(new, old) then
                if claim_end(new) then emit(new, 'invalidated', 'relogin') end
                return 2
              end
              if claim_end(old) then emit(old, 'invalidated', 'relogin') end
            end
            redis.call('SET', KEYS[1], ARGV[6], 'EXAT', ARGV[8])
            redis.call('SET', KEYS[2], ARGV[7], 'EXAT', ARGV[8])
            emit(new, 'issued', ARGV[9])
            return 1
            """;

    // ARGV 6 session JSON of a token Redis does not hold, 7 reason. Announces its end once (the claim),
    // touching no key: for a token this replica held that Kite has killed meanwhile.
    private static final String END_HELD = LIBRARY + """
            local s = cjson.decode(ARGV[6])
            if claim_end(s) then
              emit(s, 'invalidated', ARGV[7])
              return 1
            end
            return 0
            """;

    private final RedisDataSource redis;
    private final RedisKeys keys;
    private final ZoneId zone;
    private final KiteMetrics metrics;

    TokenScripts(RedisDataSource redis, RedisKeys keys, KiteConfig config, KiteMetrics metrics) {
        this.redis = redis;
        this.keys = keys;
        this.zone = config.expiryZone();
        this.metrics = metrics;
    }

    /** Stores a new token; false when a later login is already current (this one was announced as ended). */
    public boolean store(String accessToken, String sessionJson, Instant expiresAt, Instant now) {
        int result = run("store token", STORE, now, accessToken, sessionJson, Long.toString(expiresAt.getEpochSecond())).toInteger();
        if (result == 2) {
            return false;
        }
        if (result == 1) {
            metrics.eventPublished(TokenEvent.INVALIDATED, TokenEvent.REASON_RELOGIN);
        }
        metrics.eventPublished(TokenEvent.ISSUED, TokenEvent.REASON_LOGIN);
        return true;
    }

    /** What {@link #writeBack} did. */
    public enum WriteBack {
        /** Written, and {@code issued} published. */
        WRITTEN,
        /** Redis already holds it: nothing to do. */
        NOT_NEEDED,
        /** It has ended (its end was published): never to be written or served again. */
        ENDED,
        /** A newer token is current: this one was announced as ended (relogin) and not written. */
        SUPERSEDED
    }

    /** Writes a token this replica holds and Redis does not, store-if-newer (see WRITE_BACK). */
    public WriteBack writeBack(String accessToken, String sessionJson, Instant expiresAt, String reason, Instant now) {
        return switch (run("write token back", WRITE_BACK, now, accessToken, sessionJson, Long.toString(expiresAt.getEpochSecond()), reason)
                .toInteger()) {
            case 1 -> {
                metrics.eventPublished(TokenEvent.ISSUED, reason);
                yield WriteBack.WRITTEN;
            }
            case 2 -> WriteBack.SUPERSEDED;
            case 3 -> WriteBack.ENDED;
            default -> WriteBack.NOT_NEEDED;
        };
    }

    /** Announces the end of a token Redis does not hold (once, whatever the replicas); true when this call did. */
    public boolean endHeld(String sessionJson, String reason, Instant now) {
        boolean published = run("end held token", END_HELD, now, sessionJson, reason).toInteger() == 1;
        if (published) {
            metrics.eventPublished(TokenEvent.INVALIDATED, reason);
        }
        return published;
    }

    /** The outcome of a compare-and-delete. */
    public record Invalidation(boolean deleted, String currentTokenId) {
    }

    public Invalidation invalidate(String expectedTokenId, String reason, Instant now) {
        Response result = run("invalidate token", INVALIDATE, now, expectedTokenId, reason);
        if (result.get(2).toInteger() == 1) {
            metrics.eventPublished(TokenEvent.INVALIDATED, reason);
        }
        String current = result.get(1).toString();
        return new Invalidation(result.get(0).toInteger() == 1, current.isEmpty() ? null : current);
    }

    /** What {@link #expire} found. */
    public enum Cutoff {
        /** This call published {@code expired}. */
        PUBLISHED,
        /** The token had already ended (another replica's cutoff, a logout, a re-login). */
        ALREADY_ENDED,
        /** Redis still holds the token: its clock has not reached the expiry yet. */
        NOT_YET
    }

    /** Publishes the cutoff of the named token, unless it already ended or Redis still holds it. */
    public Cutoff expire(String tokenJson, Instant now) {
        return switch (run("publish cutoff", EXPIRE, now, tokenJson).toInteger()) {
            case 1 -> {
                metrics.eventPublished(TokenEvent.EXPIRED, TokenEvent.REASON_CUTOFF);
                yield Cutoff.PUBLISHED;
            }
            case 2 -> Cutoff.NOT_YET;
            default -> Cutoff.ALREADY_ENDED;
        };
    }

    private Response run(String operation, String script, Instant now, String... extra) {
        String[] args = new String[11 + extra.length];
        args[0] = script;
        args[1] = "4";
        args[2] = keys.accessToken();
        args[3] = keys.session();
        args[4] = keys.eventsStream();
        args[5] = keys.endedTokens();
        args[6] = keys.eventsChannel();
        args[7] = Integer.toString(STREAM_MAX_LENGTH);
        args[8] = TokenTimes.format(now.atZone(zone));
        args[9] = Long.toString(now.getEpochSecond());
        args[10] = Long.toString(ENDED_CLAIM_LIFETIME.toSeconds());
        System.arraycopy(extra, 0, args, 11, extra.length);
        return call(operation, () -> redis.execute("EVAL", args));
    }
}
