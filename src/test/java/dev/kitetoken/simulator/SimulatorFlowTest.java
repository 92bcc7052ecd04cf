package dev.kitetoken.simulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.DevSimulatorProfile;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The built-in simulator that dev mode uses behaves as Kite does, end to end through the service. */
@QuarkusTest
@TestProfile(DevSimulatorProfile.class)
@WithTestResource(RedisTestResource.class)
class SimulatorFlowTest {

    @Test
    void aNewcomerCanLogInAndReadTheTokenWithoutAKiteAccount() {
        Browser.logIn().then().statusCode(200).body(containsString(KiteSimulator.USER_ID));

        String token = given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get("/token")
                .then().statusCode(200).extract().asString();
        given().header("X-Kite-Version", "3").header("Authorization", "token simapikey0001:" + token).get("/kite-sim/user/profile")
                .then().statusCode(200).body("data.user_id", equalTo(KiteSimulator.USER_ID));
    }

    @Test
    void itChecksTheChecksumAndUsesEachRequestTokenOnce() {
        URI callback = Browser.callbackAfterLogin();
        String requestToken = callback.getQuery().replaceFirst(".*request_token=([A-Za-z0-9]+).*", "$1");
        given().header("X-Kite-Version", "3").contentType("application/x-www-form-urlencoded")
                .formParam("api_key", "simapikey0001").formParam("request_token", requestToken)
                .formParam("checksum", "0".repeat(64))
                .post("/kite-sim/session/token")
                .then().statusCode(403).body("message", equalTo("Invalid `checksum`."));

        given().accept("application/json").get(callback).then().statusCode(200);
        given().header("X-Kite-Version", "3").contentType("application/x-www-form-urlencoded")
                .formParam("api_key", "simapikey0001").formParam("request_token", requestToken)
                .formParam("checksum", dev.kitetoken.kite.KiteChecksum.of("simapikey0001", requestToken, "sim-api-secret-0123456789abcdef"))
                .post("/kite-sim/session/token")
                .then().statusCode(403).body("error_type", equalTo("TokenException"))
                .body("message", equalTo("Token is invalid or has expired."));
    }

    @Test
    void aCallWithoutTheKiteVersionHeaderIsRefused() {
        Browser.logIn().then().statusCode(200);
        String token = given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get("/token").asString();
        given().header("Authorization", "token simapikey0001:" + token).get("/kite-sim/user/profile")
                .then().statusCode(400).body("error_type", equalTo("InputException"))
                .body("message", containsString("X-Kite-Version"));
        given().header("X-Kite-Version", "2").header("Authorization", "token simapikey0001:" + token).get("/kite-sim/user/profile")
                .then().statusCode(400).body("error_type", equalTo("InputException"));
    }

    @Test
    void aJsonBodyIsRejectedAsKiteDoes() {
        given().header("X-Kite-Version", "3").contentType("application/json").body("{\"api_key\":\"simapikey0001\"}").post("/kite-sim/session/token")
                .then().statusCode(400).body("error_type", equalTo("InputException"));
    }

    @Test
    void cancellingComesBackWithoutState() {
        URI cancelled = Browser.callbackAfterCancel();
        assertThat(cancelled.getQuery()).isEqualTo("status=cancelled");
        given().accept("application/json").get(cancelled).then().statusCode(400).body("title", equalTo("Login was cancelled"));
    }
}
