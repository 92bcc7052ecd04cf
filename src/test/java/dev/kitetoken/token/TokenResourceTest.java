package dev.kitetoken.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class TokenResourceTest extends ServiceTest {

    @Test
    void withoutATokenItIsA404ProblemPointingAtTheLoginPage() {
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .header("Cache-Control", "no-store")
                .body("status", equalTo(404))
                .body("title", equalTo("No valid token"))
                .body("login_url", equalTo(KiteTestEnvironment.PUBLIC_URL + "/login"))
                .body("detail", containsString(KiteTestEnvironment.PUBLIC_URL + "/login"));
    }

    @Test
    void withoutAuthorizationItIsA401WithABearerChallenge() {
        given().get("/token")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer wrong-token", "Bearer", "Bearer ", "Basic dGVzdDp0ZXN0", "test-reader-token-aaaaaaaaaaaaaaaaaaaa",
            "Bearer test-reader-token-aaaaaaaaaaaaaaaaaaa", "Bearer test-reader-token-aaaaaaaaaaaaaaaaaaaaa", "token a:b" })
    void aWrongCredentialIsA401(String authorization) {
        Browser.logIn().then().statusCode(200);
        given().header("Authorization", authorization).get("/token")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body(not(containsString(kite.currentAccessToken())));
    }

    @Test
    void everyConfiguredReaderTokenWorksAndTheSchemeIsCaseInsensitive() {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.OTHER_READER_TOKEN).get("/token").then().statusCode(200);
        given().header("Authorization", "bearer " + KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
    }

    @Test
    void textPlainGivesTheRawToken() {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get("/token")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .header("Cache-Control", "no-store")
                .header("ETag", "\"" + TokenIds.tokenId(kite.currentAccessToken()) + "\"")
                .body(equalTo(kite.currentAccessToken()));
    }

    @Test
    void anythingButJsonOrTextIsA406() {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("application/xml").get("/token")
                .then().statusCode(406).contentType("application/problem+json");
    }

    @Test
    void otherMethodsAre405() {
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).put("/token")
                .then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void aSessionKeyWithoutTheTokenKeyIsNoToken() {
        Browser.logIn().then().statusCode(200);
        redis.key().del("kite:access_token:" + KiteTestEnvironment.API_KEY);
        // A key deleted by hand publishes no event: drop the near copy so that this read goes to Redis.
        replica.endedHere();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);
    }
}
