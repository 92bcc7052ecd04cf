package dev.kitetoken.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/** Puts a {@link ResponseRecorder} and the {@link Browser}'s cookie jar in front of every REST Assured call of every Quarkus test. */
public class InstallResponseRecorder implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(ResponseRecorder.class::isInstance)) {
            RestAssured.filters(new ResponseRecorder());
        }
        Browser.installCookieJar();
    }
}
