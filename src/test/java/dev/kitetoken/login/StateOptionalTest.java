package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.InjectFakeKite;
import dev.kitetoken.support.KiteTestEnvironment;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** KITE_REQUIRE_STATE=false accepts logins started from Kite's own URL, without a state from /login. */
@QuarkusTest
@TestProfile(StateOptionalTest.StateNotRequired.class)
@WithTestResource(KiteTestEnvironment.class)
class StateOptionalTest {

    public static class StateNotRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kite.require-state", "false");
        }
    }

    @InjectFakeKite
    FakeKiteServer kite;

    @Test
    void aCallbackWithoutStateIsAccepted() {
        kite.reset();
        URI withoutState = kite.approve(null);
        assertThat(withoutState.getQuery()).doesNotContain("state=");

        given().accept("application/json").get(withoutState).then().statusCode(200).body("user_id", equalTo("SIM001"));
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get("/token")
                .then().statusCode(200).body(equalTo(kite.currentAccessToken()));
    }

    @Test
    void duplicatesStillReachKiteOnce() {
        kite.reset();
        URI callback = kite.approve(null);
        given().accept("application/json").get(callback).then().statusCode(200);
        given().accept("application/json").get(callback).then().statusCode(200);
        assertThat(kite.sessionCalls()).isEqualTo(1);
    }
}
