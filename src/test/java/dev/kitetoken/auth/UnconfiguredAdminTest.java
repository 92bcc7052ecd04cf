package dev.kitetoken.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.DevSimulatorProfile;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Issue 21: without KITE_ADMIN_TOKENS, logout says it is not configured, not that the secret is wrong. */
@QuarkusTest
@TestProfile(DevSimulatorProfile.class)
@WithTestResource(RedisTestResource.class)
class UnconfiguredAdminTest {

    @Test
    void logoutWithoutAnyAdminSecretSaysItIsNotConfigured() {
        given().auth().oauth2("some-operator-secret-0123456789abcdef").delete("/token")
                .then().statusCode(403).contentType("application/problem+json")
                .body("title", equalTo("Not configured"))
                .body("detail", containsString("logging out (DELETE /token) is not configured"))
                .body("detail", not(containsString("is not one of")));
    }

    @Test
    void aBasicCredentialIsToldABearerIsExpected() {
        given().header("Authorization", "Basic YTpi").get("/token")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", containsString("A bearer secret is expected"));
        given().auth().oauth2("wrong-" + KiteTestEnvironment.READER_TOKEN).get("/token")
                .then().statusCode(401).body("detail", containsString("is not one of KITE_READER_TOKENS"));
    }
}
