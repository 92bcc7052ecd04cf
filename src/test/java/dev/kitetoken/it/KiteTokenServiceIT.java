package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zerodhatech.kiteconnect.KiteConnect;
import com.zerodhatech.models.Profile;
import com.zerodhatech.models.User;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.InjectFakeKite;
import dev.kitetoken.support.InjectRedisServer;
import dev.kitetoken.support.OfficialKiteSdk;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisProbe;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.SecretLedger;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged application (the jar, or the native executable with -Dnative) under the prod profile:
 * login through the browser, the token in Redis with its absolute expiry, and GET /token.
 */
@QuarkusIntegrationTest
@WithTestResource(KiteTestEnvironment.class)
class KiteTokenServiceIT {

    @InjectFakeKite
    FakeKiteServer kite;

    @InjectRedisServer
    RedisServer redis;

    @Test
    void loginCallbackRedisAndGetTokenWorkInThePackagedApplication() throws Exception {
        kite.reset();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);

        Browser.logIn().then().statusCode(200).body(containsString("SIM001"));

        String accessToken = kite.currentAccessToken();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token")
                .then().statusCode(200)
                .header("ETag", "\"" + TokenIds.tokenId(accessToken) + "\"")
                .body("access_token", equalTo(accessToken))
                .body("user_id", equalTo("SIM001"));
        // The token works at "Kite", as a trading pod would use it.
        given().header("X-Kite-Version", "3").header("Authorization", "token " + KiteTestEnvironment.API_KEY + ":" + accessToken)
                .get(kite.baseUrl() + "/user/profile").then().statusCode(200).body("data.user_id", equalTo("SIM001"));

        try (RedisProbe probe = new RedisProbe(redis.url())) {
            String tokenKey = "kite:access_token:" + KiteTestEnvironment.API_KEY;
            String sessionKey = "kite:session:" + KiteTestEnvironment.API_KEY;
            assertThat(probe.get(tokenKey)).isEqualTo(accessToken);
            JsonNode session = new ObjectMapper().readTree(probe.get(sessionKey));
            long expiresAt = OffsetDateTime.parse(session.get("expires_at").asText()).toEpochSecond();
            assertThat(probe.expireTime(tokenKey)).isEqualTo(expiresAt);
            assertThat(probe.expireTime(sessionKey)).isEqualTo(expiresAt);
        }

        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/health/ready").then().statusCode(200);
    }

    /**
     * Issue 22: everything the native build must carry (reflection, resources, templates, scripts, JSON) used
     * once in the packaged application: the pages, a long-poll woken by a re-login, Server-Sent Events, a report
     * checked at Kite, a logout, health, metrics and the OpenAPI document.
     */
    @Test
    void everySurfaceWorksInThePackagedApplication() throws Exception {
        kite.reset();
        given().get("/").then().statusCode(200).contentType(containsString("text/html")).body(containsString("<h1>kite-token-service</h1>"));
        given().accept("text/html").get("/no-such-page").then().statusCode(404).body(containsString("<h1>Not Found</h1>"));
        given().accept("application/json").get("/callback").then().statusCode(400).contentType("application/problem+json");
        Browser.logIn().then().statusCode(200);
        String first = TokenIds.tokenId(kite.currentAccessToken());

        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<java.util.stream.Stream<String>>> events = http.sendAsync(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(KiteTestEnvironment.PUBLIC_URL + "/token/events"))
                        .header("Authorization", "Bearer " + KiteTestEnvironment.READER_TOKEN).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> longPoll = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "\"" + first + "\"")
                        .queryParam("wait", 30).get("/token").andReturn());
        Thread.sleep(500);
        Browser.logIn().then().statusCode(200);
        String second = TokenIds.tokenId(kite.currentAccessToken());
        assertThat(longPoll.get(20, java.util.concurrent.TimeUnit.SECONDS).path("token_id").toString()).isEqualTo(second);
        java.util.concurrent.CompletableFuture<Boolean> heard = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> events.join().body().anyMatch(line -> line.startsWith("data:") && line.contains(second)));
        assertThat(heard.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the re-login's event on the stream").isTrue();
        events.join().body().close();

        given().get("/").then().statusCode(200).body(containsString("Session active"), containsString("Replaced by a new login"));
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("application/json")
                .body("{\"token_id\":\"" + second + "\"}").post("/token/invalidate").then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token").then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);

        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/health/group/dependencies").then().statusCode(200);
        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/metrics").then().statusCode(200)
                .body(containsString("kite_token_present"), containsString("kite_trading_day"), containsString("kite_exchanges_total"));
        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/openapi?format=json").then().statusCode(200)
                .body(containsString("\"/token/invalidate\""));
    }

    @Test
    void aProductionBuildHasNoKiteSimulator() {
        given().get("/kite-sim/connect/login").then().statusCode(404);
        given().contentType("application/x-www-form-urlencoded").formParam("api_key", "x")
                .post("/kite-sim/session/token").then().statusCode(404);
    }

    @Test
    void theOfficialKiteJavaSdkAcceptsTheTokenFromGetToken() throws Throwable {
        kite.reset();
        Browser.logIn().then().statusCode(200);
        String accessToken = given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get("/token")
                .then().statusCode(200).extract().asString();

        KiteConnect sdk = OfficialKiteSdk.client(KiteTestEnvironment.API_KEY, kite.baseUrl());
        sdk.setAccessToken(accessToken);
        Profile profile = sdk.getProfile();

        assertThat(profile.userName).isEqualTo("Simulated Trader");
        assertThat(profile.products).contains("CNC", "MIS");
    }

    @Test
    void theFakeKiteAnswersTheExchangeInTheShapeTheOfficialSdkNeeds() throws Throwable {
        kite.reset();
        URI callback = kite.approve("state=unused");
        String requestToken = callback.getQuery().replaceFirst(".*request_token=([A-Za-z0-9]+).*", "$1");

        User user = OfficialKiteSdk.client(KiteTestEnvironment.API_KEY, kite.baseUrl())
                .generateSession(requestToken, KiteTestEnvironment.API_SECRET);

        assertThat(user.accessToken).isEqualTo(kite.currentAccessToken());
        assertThat(user.userId).isEqualTo("SIM001");
    }

    @Test
    void thePackagedApplicationLogsNoSecret() {
        kite.reset();
        Browser.logIn().then().statusCode(200);
        kite.fault(FakeKiteServer.Fault.MALFORMED_JSON);
        given().accept("application/json").get(Browser.callbackAfterLogin()).then().statusCode(502);

        // @QuarkusIntegrationTest passes quarkus.log.file.path (target/test-logs/quarkus.log) to the jar.
        String log = SecretLedger.read(SecretLedger.SERVICE_LOG);
        assertThat(log).contains("Stored token");
        for (String secret : SecretLedger.secrets()) {
            assertThat(log).doesNotContain(secret);
        }
    }
}
