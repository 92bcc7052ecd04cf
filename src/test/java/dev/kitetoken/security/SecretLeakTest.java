package dev.kitetoken.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FakeKiteServer.Fault;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.support.SecretLedger;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No access token, api_secret, request_token, checksum or reader secret in the service's log or in any
 * response body (but the successful GET /token, whose job it is). Runs every path that handles a secret,
 * then reads everything recorded so far in this test run, so it also covers the tests that ran before it.
 */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class SecretLeakTest extends ServiceTest {

    @Test
    void noSecretInAnyLogLineOrResponseBody() {
        exerciseEveryPathThatHandlesASecret();

        List<String> secrets = SecretLedger.secrets();
        String log = SecretLedger.serviceLogs();
        String responses = SecretLedger.read(SecretLedger.RESPONSES);
        // Not vacuous: tokens were issued and answers recorded, and the log holds the service's own lines.
        assertThat(secrets).contains(KiteTestEnvironment.API_SECRET).hasSizeGreaterThan(10);
        assertThat(log).contains("Stored token").contains("Kite call failed");
        // The access log names the callback by its path alone, without the query that holds the request_token.
        assertThat(log).contains("\"GET /callback\" 200").doesNotContain("\"GET /callback?");
        assertThat(responses).contains("GET /callback -> 200").contains("GET /callback -> 502");

        String events = EventStream.read(redis).toString();
        assertThat(events).contains("\"issued\"");
        for (String secret : secrets) {
            assertThat(log).as("service log").doesNotContain(secret);
            assertThat(responses).as("response bodies").doesNotContain(secret);
            assertThat(events).as("events").doesNotContain(secret);
        }
    }

    private void exerciseEveryPathThatHandlesASecret() {
        Browser.logIn().then().statusCode(200);
        URI callback = Browser.callbackAfterLogin();
        given().accept("application/json").get(callback).then().statusCode(200);
        given().accept("application/json").get(callback).then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        given().auth().oauth2("not-" + KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(401);
        given().get("/").then().statusCode(200);

        for (Fault fault : Fault.values()) {
            if (fault != Fault.NONE && fault != Fault.HANG) {
                kite.fault(fault);
                given().accept("application/json").get(Browser.callbackAfterLogin()).then().statusCode(greaterThanOrEqualTo(500));
                given().accept("text/html").get(Browser.callbackAfterLogin()).then().statusCode(greaterThanOrEqualTo(500));
            }
        }
        kite.reset();
        kite.changeApiSecret("another-secret-for-this-app-0001");
        given().accept("application/json").get(Browser.callbackAfterLogin()).then().statusCode(502);
        kite.reset();
        URI used = Browser.callbackAfterLogin();
        given().get(used).then().statusCode(200);
        given().accept("application/json").get(URI.create(used.toString().replaceFirst("state=[^&]*", "state=" + "z".repeat(43))))
                .then().statusCode(400);
    }
}
