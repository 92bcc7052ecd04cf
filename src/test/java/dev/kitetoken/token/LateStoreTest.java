package dev.kitetoken.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A store whose caller timed out on a silent connection can still reach Redis later, after a login that
 * reached Kite after it (found by the chaos run: the older, dead token replaced the live one everywhere).
 * Such a store changes nothing but announcing its own token's end.
 */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class LateStoreTest extends ServiceTest {

    @Inject
    TokenStore store;

    @Test
    void aStoreThatReachesRedisAfterALaterLoginDoesNotReplaceIt() {
        Instant now = Instant.now();
        String live = "LiveToken" + now.toEpochMilli();
        String dead = "DeadToken" + now.toEpochMilli();

        assertThat(store.save(live, session(live, now), now)).isTrue();
        // Issued 400 ms earlier, in the same second or not: Kite killed it when it issued the live one.
        assertThat(store.save(dead, session(dead, now.minusMillis(400)), now)).isFalse();

        assertThat(redis.value(String.class).get("kite:access_token:" + KiteTestEnvironment.API_KEY)).isEqualTo(live);
        List<String> events = EventStream.read(redis).stream()
                .map(e -> e.get("type").asText() + " " + e.get("token_id").asText()).toList();
        assertThat(events).containsExactly("issued " + TokenIds.tokenId(live), "invalidated " + TokenIds.tokenId(dead));
    }

    private static StoredSession session(String token, Instant issued) {
        ZoneId ist = ZoneId.of("Asia/Kolkata");
        return new StoredSession(KiteTestEnvironment.API_KEY, "SIM001", "Simulated Trader",
                TokenTimes.format(issued.atZone(ist)), TokenTimes.format(issued.plus(1, ChronoUnit.DAYS).atZone(ist)),
                TokenIds.tokenId(token), TokenTimes.format(issued.atZone(ist)), issued.toEpochMilli());
    }
}
