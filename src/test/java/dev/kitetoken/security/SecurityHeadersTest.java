package dev.kitetoken.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class SecurityHeadersTest extends ServiceTest {

    @Test
    void pagesAndApiAnswersCarryTheSecurityHeaders() {
        Browser.logIn().then().statusCode(200);
        check(given().get("/").then().statusCode(200));
        check(given().accept("text/html").get("/callback?status=cancelled").then().statusCode(400));
        check(given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200)
                .header("Cache-Control", "no-store"));
        check(given().get("/token").then().statusCode(401));
        check(given().redirects().follow(false).get("/login").then().statusCode(302));
    }

    private static void check(ValidatableResponse response) {
        response.header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }
}
