package dev.kitetoken.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.kitetoken.simulator.KiteSimulator;
import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The public page at / says whether a session is active and until when, and no personal data. */
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
    void withASessionItSaysUntilWhenAndMasksTheUserWithoutNameTokenOrTokenId() {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        given().get("/")
                .then().statusCode(200)
                .body(containsString("Session active"), containsString("SI**01"), containsString("06:00 IST"),
                        containsString("min left"),
                        not(containsString("SIM001")), not(containsString(KiteSimulator.USER_NAME)),
                        not(containsString(tokenId)), not(containsString(kite.currentAccessToken())),
                        not(containsString("+05:30")));
    }
}
