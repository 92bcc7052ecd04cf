package dev.kitetoken.token;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 22: the data-loss watch ignored a missing marker on its first check, taking it for one never set, so
 * data lost between start-up and that check was never written back (a native replica, ready in 50 ms, logs in
 * before it). The marker is set at start-up: the first check that finds it gone repairs.
 */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class RedisDataWatchTest extends ServiceTest {

    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;

    @Inject
    RedisDataWatch watch;

    @Test
    void dataLostBeforeTheFirstCheckIsWrittenBackByIt() {
        Browser.logIn().then().statusCode(200);
        String token = kite.currentAccessToken();
        redis.flushall(); // as a cluster node restarting empty looks to the other connections: they stay up

        watch.check();

        assertThat(redis.value(String.class).get(TOKEN_KEY)).isEqualTo(token);
    }
}
