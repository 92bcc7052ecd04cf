package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class LoginFlowTest extends ServiceTest {

    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;
    private static final String SESSION_KEY = "kite:session:" + KiteTestEnvironment.API_KEY;

    @Inject
    ObjectMapper json;

    @Test
    void loginRedirectsToKiteWithApiKeyAndAStateNonce() {
        URI kitePage = Browser.kiteLoginUrl();
        assertThat(kitePage.toString()).startsWith(kite.baseUrl() + "/connect/login?v=3&api_key=" + KiteTestEnvironment.API_KEY
                + "&redirect_params=state%3D");
        String state = kitePage.getRawQuery().replaceFirst(".*redirect_params=state%3D", "");
        assertThat(state).matches("[A-Za-z0-9_-]{75}");
    }

    @Test
    void anonymousLoginsWriteNothingToRedis() {
        redis.flushall();
        for (int i = 0; i < 50; i++) {
            given().redirects().follow(false).get("/login").then().statusCode(302);
        }
        assertThat(redis.key().keys("*")).as("keys after 50 anonymous GET /login").isEmpty();
    }

    @Test
    void theLoginIsBoundToTheBrowserByAnHttpOnlySameSiteCookie() {
        io.restassured.response.Response login = given().redirects().follow(false).get("/login");
        String setCookie = login.header("Set-Cookie");
        String state = login.header("Location").replaceFirst(".*state%3D", "");
        assertThat(setCookie).startsWith("kite_login=" + state + ";").contains("HttpOnly", "SameSite=Lax", "Secure", "Max-Age=600");
    }

    @Test
    void aCallbackFromAnotherBrowserCannotFinishTheLogin() {
        URI callback = Browser.callbackAfterLogin();
        // Sent raw, so without the cookie the browser that started the login holds.
        dev.kitetoken.support.RawHttp.Answer answer = dev.kitetoken.support.RawHttp.get(KiteTestEnvironment.SERVICE_PORT,
                callback.getRawPath() + "?" + callback.getRawQuery(), "application/json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("Login started in another browser");
        assertThat(kite.sessionCalls()).isZero();
        given().accept("application/json").get(callback).then().statusCode(200);
    }

    @Test
    void browserLoginStoresBothKeysUntilTheNextCutoffAndServesTheToken() throws Exception {
        Response page = Browser.logIn();

        String accessToken = kite.currentAccessToken();
        assertThat(accessToken).isNotNull();
        String tokenId = TokenIds.tokenId(accessToken);
        page.then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .body(containsString("SIM001"), containsString(tokenId), not(containsString(accessToken)));

        assertThat(redis.value(String.class).get(TOKEN_KEY)).isEqualTo(accessToken);
        JsonNode session = json.readTree(redis.value(String.class).get(SESSION_KEY));
        assertThat(session.get("api_key").asText()).isEqualTo(KiteTestEnvironment.API_KEY);
        assertThat(session.get("user_id").asText()).isEqualTo("SIM001");
        assertThat(session.get("user_name").asText()).isEqualTo("Simulated Trader");
        assertThat(session.get("token_id").asText()).isEqualTo(tokenId).hasSize(16);
        assertThat(session.get("login_time").asText()).endsWith("+05:30");
        assertThat(session.has("access_token")).isFalse();

        Instant issuedAt = OffsetDateTime.parse(session.get("issued_at").asText()).toInstant();
        long expectedExpiry = nextSixAmIst(issuedAt).toEpochSecond();
        assertThat(OffsetDateTime.parse(session.get("expires_at").asText()).toEpochSecond()).isEqualTo(expectedExpiry);
        assertThat(session.get("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT06:00:00\\+05:30");
        assertThat(redis.key().expiretime(TOKEN_KEY)).isEqualTo(expectedExpiry);
        assertThat(redis.key().expiretime(SESSION_KEY)).isEqualTo(expectedExpiry);

        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN)
                .get("/token")
                .then().statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("ETag", "\"" + tokenId + "\"")
                .body("access_token", equalTo(accessToken))
                .body("api_key", equalTo(KiteTestEnvironment.API_KEY))
                .body("user_id", equalTo("SIM001"))
                .body("user_name", equalTo("Simulated Trader"))
                .body("login_time", equalTo(session.get("login_time").asText()))
                .body("expires_at", equalTo(session.get("expires_at").asText()))
                .body("token_id", equalTo(tokenId));
    }

    @Test
    void callbackAnswersJsonWhenAskedWithoutTheToken() {
        URI callback = Browser.callbackAfterLogin();
        given().accept("application/json").get(callback)
                .then().statusCode(200)
                .contentType("application/json")
                .body("user_id", equalTo("SIM001"))
                .body("expires_at", containsString("T06:00:00+05:30"))
                .body("token_id", equalTo(TokenIds.tokenId(kite.currentAccessToken())))
                .body(not(containsString(kite.currentAccessToken())));
    }

    @Test
    void aNewLoginReplacesTheStoredToken() {
        Browser.logIn().then().statusCode(200);
        String first = kite.currentAccessToken();
        Browser.logIn().then().statusCode(200);
        String second = kite.currentAccessToken();

        assertThat(second).isNotEqualTo(first);
        assertThat(redis.value(String.class).get(TOKEN_KEY)).isEqualTo(second);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get("/token")
                .then().statusCode(200).body(equalTo(second));
    }

    static ZonedDateTime nextSixAmIst(Instant after) {
        ZonedDateTime now = after.atZone(ZoneId.of("Asia/Kolkata"));
        ZonedDateTime sixToday = now.toLocalDate().atTime(6, 0).atZone(ZoneId.of("Asia/Kolkata"));
        return sixToday.isAfter(now) ? sixToday : sixToday.plusDays(1);
    }
}
