package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kitetoken.simulator.KiteSimulator;
import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * KITE_ALLOWED_USER_IDS pins the Kite users who may log in; anyone else (a second Zerodha client of the fake
 * Kite) is refused and logged out at Kite, and nothing of theirs is stored or published.
 */
@QuarkusTest
@TestProfile(AllowedUsersTest.OnlyAnotherUser.class)
@WithTestResource(KiteTestEnvironment.class)
class AllowedUsersTest extends ServiceTest {

    public static class OnlyAnotherUser implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kite.allowed-user-ids", "ZZ9999, " + KiteSimulator.USER_ID);
        }
    }

    @Test
    void aLoginByAnyOtherKiteUserIsRefusedAndLoggedOutAtKite() {
        kite.nextLoginBy("XY9876", "A Stranger");
        given().accept("application/json").get(Browser.callbackAfterLogin())
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("This Kite user may not log in here"));

        assertThat(kite.currentAccessToken()).as("the session was ended at Kite").isNull();
        assertThat(redis.key().exists("kite:access_token:" + KiteTestEnvironment.API_KEY)).isFalse();
        assertThat(EventStream.summary(redis)).isEmpty();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);
    }

    @Test
    void aStrangerAfterTheOperatorChangesNothingOfTheOperatorsSession() {
        Browser.logIn().then().statusCode(200);
        String operatorsToken = kite.currentAccessToken();
        String tokenKey = "kite:access_token:" + KiteTestEnvironment.API_KEY;
        assertThat(EventStream.summary(redis)).containsExactly("issued/login");

        kite.nextLoginBy("XY9876", "A Stranger");
        given().accept("application/json").get(Browser.callbackAfterLogin())
                .then().statusCode(403)
                .body("title", equalTo("This Kite user may not log in here"));

        assertThat(kite.currentAccessToken()).as("the stranger's session was ended at Kite").isNull();
        assertThat(redis.value(String.class).get(tokenKey)).as("Redis still holds the operator's token").isEqualTo(operatorsToken);
        assertThat(EventStream.summary(redis)).as("nothing published: no relogin, no end").containsExactly("issued/login");
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token")
                .then().statusCode(200).body("user_id", equalTo(KiteSimulator.USER_ID)).body("access_token", equalTo(operatorsToken));
        given().get("/").then().body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("XY")));
    }
}
