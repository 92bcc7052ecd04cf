package dev.kitetoken.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RawHttp;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Hostile or broken input: always a clear 4xx, never a 500, never a stack trace. */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class BadInputTest extends ServiceTest {

    @ParameterizedTest
    @ValueSource(strings = { "%00", "abc%00def", "%27%20OR%201%3D1", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%E2%82%AC%F0%9F%92%B8",
            "%zz", "%", "a+b", "%C0%AF", "%FF%FE", "a%0D%0ASet-Cookie:x=1" })
    void strangeRequestTokensAre400(String rawRequestToken) {
        for (String accept : new String[] { "application/json", "text/html" }) {
            RawHttp.Answer answer = RawHttp.get(KiteTestEnvironment.SERVICE_PORT,
                    "/callback?status=success&request_token=" + rawRequestToken + "&state=x", accept);
            assertThat(answer.status()).as(rawRequestToken).isEqualTo(400);
            assertThat(answer.text()).doesNotContain("Exception", "\tat ", "<script>", "Set-Cookie");
        }
        assertThat(kite.sessionCalls()).isZero();
    }

    /** Issue 21: a 405 said "see the Allow header" and sent none. */
    @Test
    void aWrongMethodIs405WithTheAllowHeader() {
        given().put("/token").then().statusCode(405).header("Allow", "GET, HEAD, DELETE, OPTIONS")
                .body(containsString("Allow header"));
        given().post("/").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
        given().get("/token/invalidate").then().statusCode(405).header("Allow", "POST, OPTIONS");
        given().delete("/callback").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
    }

    /** Issue 21: Basic credentials were told "the bearer secret is not one of ...". */
    @Test
    void aNonBearerAuthorizationIsToldABearerIsExpected() {
        given().header("Authorization", "Basic YTpi").get("/token").then().statusCode(401)
                .body(containsString("A bearer secret is expected")).body(not(containsString("YTpi")));
    }

    @Test
    void aTenKilobyteRequestTokenIsRefused() {
        given().accept("application/json").queryParam("status", "success").queryParam("request_token", "a".repeat(10_000))
                .get("/callback").then().statusCode(both(greaterThanOrEqualTo(400)).and(lessThan(500)));
        given().accept("application/json").queryParam("status", "success").queryParam("request_token", "a".repeat(1_000))
                .get("/callback").then().statusCode(400);
    }

    @Test
    void oversizedQueryStringsAndHeadersAreRefused() {
        given().urlEncodingEnabled(false).get("/callback?request_token=" + "a".repeat(20_000))
                .then().statusCode(both(greaterThanOrEqualTo(400)).and(lessThan(500)));
        // 100 KB of headers: the server answers 431 and closes while they are still being sent, so the client
        // may see its write cut short (a broken pipe) before it reads the answer: refused either way, never a 5xx.
        for (String header : new String[] { "X-Filler: " + "x".repeat(100_000), "Authorization: Bearer " + "x".repeat(100_000) }) {
            java.util.Optional<Integer> status = RawHttp.oversized(KiteTestEnvironment.SERVICE_PORT, "/token", header);
            status.ifPresent(code -> assertThat(code).as(header.substring(0, 12)).isBetween(400, 499));
        }
        given().get("/token").then().statusCode(401);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Bearer", "Bearer ", "Basic YTpi", "Digest x", "bearer" })
    void oddAuthorizationHeadersAre401(String authorization) {
        given().header("Authorization", authorization).get("/token").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{", "not json", "[]", "\"0123456789abcdef\"", "42", "null", "{\"token_id\": 42}",
            "{\"token_id\": [\"0123456789abcdef\"]}", "{\"token_id\": \"0123456789abcdef\", \"extra\": 1}",
            "{\"tokenId\": \"0123456789abcdef\"}", "{\"token_id\": {}}" })
    void malformedReportsAre400(String body) {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("application/json").body(body)
                .post("/token/invalidate").then().statusCode(400).contentType("application/problem+json");
        assertThat(redis.key().exists("kite:access_token:" + KiteTestEnvironment.API_KEY)).isTrue();
    }

    @Test
    void aHugeReportIsRefusedUnread() {
        String huge = "{\"token_id\": \"" + "a".repeat(70_000) + "\"}";
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("application/json").body(huge)
                .post("/token/invalidate").then().statusCode(413);
    }

    @Test
    void aReportInAnotherMediaTypeIs415() {
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("text/plain").body("0123456789abcdef")
                .post("/token/invalidate").then().statusCode(415).contentType("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PUT", "PATCH", "DELETE", "POST" })
    void wrongMethodsAre405(String method) {
        given().request(method, "/callback").then().statusCode(405);
        given().request(method, "/login").then().statusCode(405);
    }
}
