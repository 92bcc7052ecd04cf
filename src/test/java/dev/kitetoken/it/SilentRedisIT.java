package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FaultRelay;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;
import io.restassured.response.Response;

/**
 * Replica A reaches Redis through a relay that then freezes (bytes held, sockets open: no FIN, no RST);
 * replica B reaches Redis directly. A re-login through B kills A's token at Kite. A must notice the silence,
 * stop trusting its copy, and stop serving the dead token once Kite says it is dead; its health answers
 * instead of hanging, and it stays ready. When the relay heals, A serves the new token.
 */
class SilentRedisIT {

    /** From the re-login: A's silence detection (3-4 s), a Redis read timing out (3 s), then Kite's answer. */
    private static final Duration DEAD_TOKEN_SERVED_AT_MOST = Duration.ofSeconds(15);

    @Test
    void aReplicaCutOffSilentlyStopsServingATokenKiteKilled() throws Exception {
        Browser.installCookieJar();
        RedisServer redis = RedisServer.start();
        int portB = ServiceProcess.freePort();
        FakeKiteServer kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + portB + "/callback"));
        Map<String, String> environment = KiteTestEnvironment.replica(kite, portB, redis.url());
        try (FaultRelay relay = FaultRelay.to(redis.url());
                ServiceProcess b = ServiceProcess.start("silent-b", portB, environment);
                ServiceProcess a = ServiceProcess.start("silent-a", ServiceProcess.freePort(), with(environment, "QUARKUS_REDIS_HOSTS", relay.redisUrl()))) {
            logIn(b);
            String dead = kite.currentAccessToken();
            assertThat(plainToken(a).asString()).isEqualTo(dead);

            relay.freeze();
            long frozenAt = System.nanoTime();
            logIn(b);
            long reloggedAt = System.nanoTime();
            String fresh = kite.currentAccessToken();
            assertThat(fresh).isNotEqualTo(dead);

            // The silence is noticed within 5 s, and the health check says so instead of hanging.
            Awaitility.await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() -> a.dependencies() == 503);
            assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).as("silence noticed").isLessThan(Duration.ofSeconds(6));
            assertThat(a.readiness()).as("readiness of a replica cut off from Redis").isEqualTo(200);

            Awaitility.await().atMost(DEAD_TOKEN_SERVED_AT_MOST.plusSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !dead.equals(plainToken(a).asString()));
            Duration served = Duration.ofNanos(System.nanoTime() - reloggedAt);
            assertThat(served).as("the dead token was still served this long after the re-login").isLessThan(DEAD_TOKEN_SERVED_AT_MOST);
            Response cutOff = plainToken(a);
            assertThat(cutOff.statusCode()).as("A knows no live token and cannot read Redis").isEqualTo(503);

            relay.heal();
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fresh.equals(plainToken(a).asString()));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.dependencies() == 200);
            System.out.printf("silent Redis: noticed, dead token served %d ms after the re-login, new token served after healing%n",
                    served.toMillis());
        } finally {
            kite.stop();
            redis.stop();
        }
    }

    private static void logIn(ServiceProcess replica) {
        URI callback = Browser.callbackAfterLogin(replica.url());
        given().urlEncodingEnabled(false).accept("application/json").get(callback).then().statusCode(200);
    }

    private static Response plainToken(ServiceProcess replica) {
        return given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(replica.url() + "/token");
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> copy = new HashMap<>(environment);
        copy.put(name, value);
        return copy;
    }
}
