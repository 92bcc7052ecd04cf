package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kitetoken.kite.KiteChecksum;
import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FakeKiteServer.Fault;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every way a callback can fail, each answered with its documented status and nothing written to Redis. */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class CallbackErrorsTest extends ServiceTest {

    private static final String LOGIN_URL = KiteTestEnvironment.PUBLIC_URL + "/login";

    @Test
    void cancelledLoginIsA400AndChangesNothing() {
        URI cancelled = Browser.callbackAfterCancel();
        assertThat(cancelled.getQuery()).isEqualTo("status=cancelled");
        long keysBefore = redis.key().keys("*").size();

        given().accept("text/html").get(cancelled)
                .then().statusCode(400)
                .contentType(containsString("text/html"))
                .body(containsString("Login was cancelled"), containsString("href=\"" + LOGIN_URL + "\""));
        given().accept("application/json").get(cancelled)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Login was cancelled"))
                .body("status", equalTo(400))
                .body("login_url", equalTo(LOGIN_URL));

        assertThat(redis.key().keys("*")).hasSize((int) keysBefore);
        assertThat(kite.sessionCalls()).isZero();
    }

    @Test
    void missingRequestTokenIsA400() {
        given().accept("application/json").queryParam("status", "success").get("/callback")
                .then().statusCode(400).body("title", equalTo("request_token is missing"));
        given().accept("application/json").get("/callback")
                .then().statusCode(400).body("title", equalTo("request_token is missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "abc-def", "abc def", "<script>", "токен", "a'b",
            "0123456789012345678901234567890123456789012345678901234567890123456789" })
    void malformedRequestTokenIsA400WithoutCallingKite(String requestToken) {
        given().accept("application/json").queryParam("status", "success").queryParam("request_token", requestToken)
                .get("/callback")
                .then().statusCode(400).body("title", equalTo("request_token is malformed"));
        assertThat(kite.sessionCalls()).isZero();
        assertThat(redis.key().keys("*")).isEmpty();
    }

    @Test
    void missingStateIsA400WithALinkToLogin() {
        URI callback = withoutState(Browser.callbackAfterLogin());
        given().accept("application/json").get(callback)
                .then().statusCode(400)
                .body("title", equalTo("Login state is missing, unknown or already used"))
                .body("login_url", equalTo(LOGIN_URL));
        given().accept("text/html").get(callback)
                .then().statusCode(400).body(containsString("href=\"" + LOGIN_URL + "\""));
        assertThat(kite.sessionCalls()).isZero();
        assertThat(redis.key().exists("kite:access_token:" + KiteTestEnvironment.API_KEY)).isFalse();
    }

    @Test
    void unknownStateIsA400() {
        URI callback = URI.create(withoutState(Browser.callbackAfterLogin()) + "&state=" + "x".repeat(43));
        // A state this browser was never given: refused before Redis is even asked.
        given().accept("application/json").get(callback)
                .then().statusCode(400).body("title", equalTo("Login started in another browser"))
                .body("login_url", equalTo(LOGIN_URL));
        assertThat(kite.sessionCalls()).isZero();
    }

    @Test
    void aStateIsSingleUse() {
        URI first = Browser.callbackAfterLogin();
        given().accept("application/json").get(first).then().statusCode(200);
        String state = first.getQuery().replaceFirst(".*state=", "");
        URI secondLoginSameState = URI.create(withoutState(kite.approve("state=" + state)) + "&state=" + state);

        // Back to Kite and Log in again in the browser that logged in: the first outcome, no second exchange.
        String tokenId = given().accept("application/json").get(first).then().extract().path("token_id");
        given().accept("application/json").get(secondLoginSameState)
                .then().statusCode(200).body("token_id", equalTo(tokenId));
        assertThat(kite.sessionCalls()).isEqualTo(1);

        // Once that outcome is no longer kept, the spent state is refused, and still nothing reaches Kite.
        redis.key().del(redis.key().keys("kite:login-finished:*").toArray(String[]::new));
        URI thirdLoginSameState = URI.create(withoutState(kite.approve("state=" + state)) + "&state=" + state);
        given().accept("application/json").get(thirdLoginSameState)
                .then().statusCode(400).body("title", equalTo("Login state is missing, unknown or already used"));
        assertThat(kite.sessionCalls()).isEqualTo(1);
    }

    @Test
    void wrongApiSecretIsA502ThatSaysSo() {
        kite.changeApiSecret("some-other-secret-of-this-app-00");
        given().accept("application/json").get(Browser.callbackAfterLogin())
                .then().statusCode(502)
                .body("title", equalTo("Kite rejected the checksum"))
                .body("detail", containsString("api_secret does not match the api_key"));
        assertNothingStored();
    }

    @Test
    void usedOrExpiredRequestTokenIsA400ThatSaysStartAgain() {
        URI callback = Browser.callbackAfterLogin();
        String requestToken = callback.getQuery().replaceFirst(".*request_token=([A-Za-z0-9]+).*", "$1");
        // Someone else (another service, a script) used the request_token first.
        given().header("X-Kite-Version", "3").contentType("application/x-www-form-urlencoded")
                .formParam("api_key", KiteTestEnvironment.API_KEY)
                .formParam("request_token", requestToken)
                .formParam("checksum", KiteChecksum.of(KiteTestEnvironment.API_KEY, requestToken, KiteTestEnvironment.API_SECRET))
                .post(kite.baseUrl() + "/session/token").then().statusCode(200);
        URI fresh = Browser.callbackAfterLogin();
        URI reused = URI.create(fresh.toString().replaceFirst("request_token=[A-Za-z0-9]+", "request_token=" + requestToken));

        given().accept("application/json").get(reused)
                .then().statusCode(400)
                .body("title", equalTo("Login link expired or already used"))
                .body("login_url", equalTo(LOGIN_URL));
        assertNothingStored();
    }

    @ParameterizedTest
    @CsvSource({
            "SERVER_ERROR, 502, Kite is unavailable",
            "HTML_BODY, 502, Kite answered with something unexpected",
            "MALFORMED_JSON, 502, Kite answered with something unexpected",
            "NOT_A_SESSION, 502, Kite answered with something unexpected",
            "CLOSE_CONNECTION, 502, Kite could not be reached",
            "RATE_LIMITED, 503, Kite's rate limit was hit" })
    void kiteFaultsAreGatewayErrorsAndStoreNothing(Fault fault, int status, String title) {
        kite.fault(fault);
        given().accept("application/json").get(Browser.callbackAfterLogin())
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("title", equalTo(title));
        assertNothingStored();
        assertThat(kite.sessionCalls()).isEqualTo(1);
    }

    @Test
    void rateLimitTellsWhenToRetry() {
        kite.fault(Fault.RATE_LIMITED);
        given().accept("application/json").get(Browser.callbackAfterLogin())
                .then().statusCode(503).header("Retry-After", "5");
    }

    @Test
    void kiteThatNeverAnswersIsA504WithinTheTimeout() {
        kite.fault(Fault.HANG);
        given().accept("application/json").get(Browser.callbackAfterLogin())
                .then().statusCode(504)
                .body("title", equalTo("Kite did not answer in time"))
                // KITE_HTTP_TIMEOUT is 2 s in the tests; one second of slack.
                .time(lessThan(3000L), TimeUnit.MILLISECONDS);
        assertNothingStored();

        kite.reset();
        given().accept("application/json").get(Browser.callbackAfterLogin()).then().statusCode(200);
    }

    @Test
    void kiteRefusingConnectionsIsA502AndTheNextLoginWorks() {
        URI callback = Browser.callbackAfterLogin();
        kite.refuseConnections();
        given().accept("application/json").get(callback)
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("title", equalTo("Kite could not be reached"))
                .time(lessThan(3000L), TimeUnit.MILLISECONDS);
        assertNothingStored();

        kite.reset();
        given().accept("application/json").get(Browser.callbackAfterLogin()).then().statusCode(200);
        assertThat(redis.key().exists("kite:access_token:" + KiteTestEnvironment.API_KEY)).isTrue();
    }

    @Test
    void repeatedParametersAreRefused() {
        given().accept("application/json").get("/callback?status=success&request_token=a&request_token=b")
                .then().statusCode(400).body("title", equalTo("Repeated parameter"));
    }

    private void assertNothingStored() {
        assertThat(redis.key().exists("kite:access_token:" + KiteTestEnvironment.API_KEY)).isFalse();
        assertThat(redis.key().exists("kite:session:" + KiteTestEnvironment.API_KEY)).isFalse();
    }

    private static URI withoutState(URI callback) {
        return URI.create(callback.toString().replaceFirst("&state=[^&]*", ""));
    }
}
