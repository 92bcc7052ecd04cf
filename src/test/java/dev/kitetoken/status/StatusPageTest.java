package dev.kitetoken.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class StatusPageTest extends ServiceTest {

    @Test
    void withoutASessionItOffersTheLogin() {
        given().get("/")
                .then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("No session"), containsString("href=\"" + KiteTestEnvironment.PUBLIC_URL + "/login\""));
    }

    @Test
    void withASessionItShowsWhoAndUntilWhenButNotTheToken() {
        Browser.logIn().then().statusCode(200);
        given().get("/")
                .then().statusCode(200)
                .body(containsString("SIM001"), containsString("T06:00:00+05:30"),
                        not(containsString(kite.currentAccessToken())));
    }
}
