package dev.kitetoken.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.token.SessionChecker;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Each way a token starts or ends publishes its event, once, in order, on the stream and the channel.
 * <p>
 * Over 200 lines: one test per way a token starts or ends, each checking both the stream and the channel.
 */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class EventsTest extends ServiceTest {

    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;

    @Inject
    SessionChecker checker;

    @Test
    void aLoginPublishesIssuedWithoutTheToken() {
        Browser.logIn().then().statusCode(200);
        String token = kite.currentAccessToken();

        List<JsonNode> events = EventStream.read(redis);
        assertThat(events).hasSize(1);
        JsonNode issued = events.get(0);
        assertThat(issued.get("type").asText()).isEqualTo("issued");
        assertThat(issued.get("reason").asText()).isEqualTo("login");
        assertThat(issued.get("api_key").asText()).isEqualTo(KiteTestEnvironment.API_KEY);
        assertThat(issued.get("user_id").asText()).isEqualTo("SIM001");
        assertThat(issued.get("token_id").asText()).isEqualTo(TokenIds.tokenId(token));
        assertThat(issued.get("expires_at").asText()).endsWith("T06:00:00+05:30");
        assertThat(issued.get("at").asText()).endsWith("+05:30");
        assertThat(issued.toString()).doesNotContain(token);
        assertThat(fieldNames(issued)).containsExactlyInAnyOrder("type", "api_key", "user_id", "token_id", "reason", "at", "expires_at");
    }

    @Test
    void aReloginInvalidatesTheOldTokenThenIssuesTheNew() {
        Browser.logIn().then().statusCode(200);
        String first = TokenIds.tokenId(kite.currentAccessToken());
        Browser.logIn().then().statusCode(200);
        String second = TokenIds.tokenId(kite.currentAccessToken());

        List<JsonNode> events = EventStream.read(redis);
        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "invalidated/relogin", "issued/login");
        assertThat(events.get(1).get("token_id").asText()).isEqualTo(first);
        assertThat(events.get(2).get("token_id").asText()).isEqualTo(second);
        assertThat(redis.value(String.class).get(TOKEN_KEY)).isEqualTo(kite.currentAccessToken());
    }

    @Test
    void anAdminLogoutEndsTheSessionAtKiteAndHere() {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());

        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).delete("/token").then().statusCode(401);
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token")
                .then().statusCode(200)
                .body("invalidated", equalTo(true))
                .body("token_id", equalTo(tokenId))
                .body("kite_logged_out", equalTo(true));

        assertThat(kite.currentAccessToken()).isNull();
        assertThat(redis.key().exists(TOKEN_KEY)).isFalse();
        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "invalidated/logout");
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token").then().statusCode(404);
    }

    @Test
    void aReportOfTheCurrentTokenThatKiteRejectsInvalidatesIt() {
        Browser.logIn().then().statusCode(200);
        String token = kite.currentAccessToken();
        kite.killSession();

        report(KiteTestEnvironment.READER_TOKEN, "{\"token_id\":\"" + TokenIds.tokenId(token) + "\"}")
                .statusCode(200)
                .body("invalidated", equalTo(true))
                .body("current_token_id", nullValue());

        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "invalidated/reported");
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);
    }

    @Test
    void aReportCanNameTheTokenItselfAndAdminsMayReportToo() {
        Browser.logIn().then().statusCode(200);
        String token = kite.currentAccessToken();
        kite.killSession();

        report(KiteTestEnvironment.ADMIN_TOKEN, "{\"access_token\":\"" + token + "\"}")
                .statusCode(200).body("invalidated", equalTo(true));
    }

    @Test
    void aReportOfATokenKiteStillAcceptsChangesNothingAndKiteIsAskedOnce() {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());

        for (int i = 0; i < 5; i++) {
            report(KiteTestEnvironment.READER_TOKEN, "{\"token_id\":\"" + tokenId + "\"}").statusCode(200)
                    .body("invalidated", equalTo(false))
                    .body("current_token_id", equalTo(tokenId));
        }

        assertThat(kite.profileCalls()).isEqualTo(1);
        assertThat(EventStream.summary(redis)).containsExactly("issued/login");
        assertThat(redis.key().exists(TOKEN_KEY)).isTrue();
    }

    @Test
    void aReportAboutAnOlderTokenNeverKillsTheFreshOne() {
        Browser.logIn().then().statusCode(200);
        String old = TokenIds.tokenId(kite.currentAccessToken());
        Browser.logIn().then().statusCode(200);
        String fresh = TokenIds.tokenId(kite.currentAccessToken());

        report(KiteTestEnvironment.READER_TOKEN, "{\"token_id\":\"" + old + "\"}")
                .statusCode(200)
                .body("invalidated", equalTo(false))
                .body("current_token_id", equalTo(fresh));

        assertThat(kite.profileCalls()).isZero();
        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "invalidated/relogin", "issued/login");
    }

    @Test
    void whenKiteCannotConfirmNothingChanges() {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        kite.profileFails(true);

        report(KiteTestEnvironment.READER_TOKEN, "{\"token_id\":\"" + tokenId + "\"}")
                .statusCode(503).header("Retry-After", "5");

        assertThat(redis.key().exists(TOKEN_KEY)).isTrue();
        assertThat(EventStream.summary(redis)).containsExactly("issued/login");
    }

    @Test
    void badReportsAreClear400s() {
        for (String body : new String[] { "{}", "{\"token_id\":\"xyz\"}", "{\"token_id\":\"0123456789abcdef\",\"access_token\":\"abc\"}",
                "{\"access_token\":\"a b\"}" }) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("application/json").body(body)
                    .post("/token/invalidate").then().statusCode(400).contentType("application/problem+json");
        }
        given().contentType("application/json").body("{}").post("/token/invalidate").then().statusCode(401);
    }

    @Test
    void thePeriodicCheckInvalidatesATokenKiteRejects() {
        Browser.logIn().then().statusCode(200);
        kite.killSession();

        checker.check();

        assertThat(EventStream.summary(redis)).containsExactly("issued/login", "invalidated/kite-rejected");
        assertThat(redis.key().exists(TOKEN_KEY)).isFalse();
    }

    @Test
    void thePeriodicCheckTakesKiteBeingDownForNothing() {
        Browser.logIn().then().statusCode(200);
        kite.profileFails(true);

        checker.check();

        assertThat(EventStream.summary(redis)).containsExactly("issued/login");
        assertThat(redis.key().exists(TOKEN_KEY)).isTrue();
        assertThat(kite.profileCalls()).as("retried with back-off").isEqualTo(3);
    }

    @Test
    void onlyOneReplicaChecksPerPeriod() {
        Browser.logIn().then().statusCode(200);
        checker.check();
        // Without the period's claim, the second check would ask Kite again once the shared verdict is gone.
        redis.key().del(redis.key().keys("kite:kite-verdict:*").toArray(String[]::new));
        checker.check();
        assertThat(kite.profileCalls()).isEqualTo(1);
    }

    @Test
    void theChannelCarriesTheSameEventsAsTheStream() {
        List<String> heard = new CopyOnWriteArrayList<>();
        var subscriber = redis.pubsub(String.class).subscribe(EventStream.CHANNEL, heard::add);
        try {
            Browser.logIn().then().statusCode(200);
            Browser.logIn().then().statusCode(200);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 3);
            assertThat(heard.stream().map(EventStream::parse).toList()).isEqualTo(EventStream.read(redis));
        } finally {
            subscriber.unsubscribe();
        }
    }

    private static ValidatableResponse report(String bearer, String body) {
        return given().auth().oauth2(bearer).contentType("application/json").body(body).post("/token/invalidate").then();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
