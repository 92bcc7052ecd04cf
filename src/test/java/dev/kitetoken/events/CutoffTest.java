package dev.kitetoken.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.token.CutoffWatcher;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The cutoff, for real: KITE_EXPIRY_TIME is set a few seconds after the application starts, so the token
 * issued by the test dies while the test watches, Redis drops the keys by itself, and {@code expired} is
 * published exactly once.
 */
@QuarkusTest
@TestProfile(CutoffTest.CutoffSoon.class)
@WithTestResource(KiteTestEnvironment.class)
class CutoffTest extends ServiceTest {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;

    public static class CutoffSoon implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Far enough ahead for the application to start and the test to log in, whole seconds.
            LocalTime cutoff = LocalTime.now(IST).plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
            return Map.of("kite.expiry-time", cutoff.toString().length() == 5 ? cutoff + ":00" : cutoff.toString());
        }
    }

    @Inject
    CutoffWatcher watcher;

    @Test
    void theCutoffPublishesExpiredOnceAndRedisDropsTheKeys() {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        Instant expiresAt = OffsetDateTime.parse(EventStream.read(redis).get(0).get("expires_at").asText()).toInstant();
        assertThat(Duration.between(Instant.now(), expiresAt)).as("the configured cutoff is seconds away")
                .isPositive().isLessThan(Duration.ofSeconds(25));
        assertThat(redis.key().expiretime(TOKEN_KEY)).isEqualTo(expiresAt.getEpochSecond());
        // Read once, so the replica holds the token in memory: it must still stop serving it at the cutoff.
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> EventStream.summary(redis).size() == 2);
        List<JsonNode> events = EventStream.read(redis);
        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "expired/cutoff");
        JsonNode expired = events.get(1);
        assertThat(expired.get("token_id").asText()).isEqualTo(tokenId);
        assertThat(OffsetDateTime.parse(expired.get("at").asText()).toInstant()).isAfterOrEqualTo(expiresAt.minusSeconds(1));
        assertThat(redis.key().exists(TOKEN_KEY)).isFalse();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);

        // Every later attempt, by this replica or any other, finds the token already ended.
        watcher.reconcile();
        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "expired/cutoff");
    }

    @Test
    void aCutoffMissedWhileNoReplicaRanIsPublishedOnceOnReconcile() {
        String past = OffsetDateTime.now(IST).minusHours(1).truncatedTo(ChronoUnit.SECONDS).toString();
        String issued = "{\"type\":\"issued\",\"api_key\":\"" + KiteTestEnvironment.API_KEY + "\",\"user_id\":\"SIM001\","
                + "\"token_id\":\"00112233aabbccdd\",\"reason\":\"login\",\"at\":\"" + past + "\",\"expires_at\":\"" + past + "\"}";
        redis.stream(String.class).xadd(EventStream.STREAM, Map.of("event", issued));

        watcher.reconcile();
        watcher.reconcile();

        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "expired/cutoff");
        assertThat(EventStream.read(redis).get(1).get("token_id").asText()).isEqualTo("00112233aabbccdd");
    }
}
