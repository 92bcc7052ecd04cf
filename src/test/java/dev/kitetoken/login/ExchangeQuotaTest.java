package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** KITE_EXCHANGES_PER_MINUTE bounds what callbacks cost the app's Kite quota: beyond it, 429 before any call to Kite. */
@QuarkusTest
@TestProfile(ExchangeQuotaTest.ThreeAMinute.class)
@WithTestResource(KiteTestEnvironment.class)
class ExchangeQuotaTest extends ServiceTest {

    public static class ThreeAMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kite.exchanges-per-minute", "3");
        }
    }

    @Test
    void theCallbackBeyondTheLimitIsRefusedWithRetryAfterAndNeverReachesKite() {
        for (int i = 0; i < 3; i++) {
            Browser.logIn().then().statusCode(200);
        }
        String lastToken = kite.currentAccessToken();
        assertThat(kite.sessionCalls()).isEqualTo(3);
        URI fourth = Browser.callbackAfterLogin();

        int retryAfter = Integer.parseInt(given().accept("application/json").get(fourth)
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("title", equalTo("Too many logins"))
                .body("detail", containsString("Reload this page"))
                .extract().header("Retry-After"));

        assertThat(retryAfter).isBetween(1, 60);
        assertThat(kite.sessionCalls()).as("no call to Kite beyond the limit").isEqualTo(3);
        assertThat(kite.currentAccessToken()).isEqualTo(lastToken);
        assertThat(EventStream.summary(redis)).as("the fourth login changed nothing").containsExactly(
                "issued/login", "invalidated/relogin", "issued/login", "invalidated/relogin", "issued/login");
        given().accept("text/html").get(fourth).then().statusCode(429)
                .contentType(containsString("text/html")).body(containsString("Too many logins"));
    }
}
