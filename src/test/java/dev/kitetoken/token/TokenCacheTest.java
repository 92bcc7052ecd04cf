package dev.kitetoken.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /token answers from memory, and memory never outlives an event. */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class TokenCacheTest extends ServiceTest {

    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;
    private static final String SESSION_KEY = "kite:session:" + KiteTestEnvironment.API_KEY;

    @Test
    void repeatedReadsDoNotGoToRedis() {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        long before = keyLookups();

        for (int i = 0; i < 100; i++) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token")
                    .then().statusCode(200).body("access_token", equalTo(kite.currentAccessToken()));
        }

        assertThat(keyLookups() - before).as("keys Redis looked up while GET /token was answered 100 times").isZero();
    }

    @Test
    void anEventFromAnotherReplicaDropsTheCopyAtOnce() {
        Browser.logIn().then().statusCode(200);
        String token = kite.currentAccessToken();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        String issued = EventStream.read(redis).get(0).toString();

        // What another replica's invalidation does, without this replica taking part: keys gone, event published.
        redis.key().del(TOKEN_KEY, SESSION_KEY);
        redis.pubsub(String.class).publish(EventStream.CHANNEL, issued.replace("\"issued\"", "\"invalidated\"").replace("\"login\"", "\"reported\""));

        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> given().auth().oauth2(KiteTestEnvironment.READER_TOKEN)
                .get("/token").statusCode() == 404);
        assertThat(token).isNotNull();
    }

    @Test
    void aLogoutOnThisReplicaIsNeverServedFromMemory() {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);

        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token").then().statusCode(200);

        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);
    }

    @Test
    void aNewLoginOnThisReplicaIsServedAtOnce() {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        Browser.logIn().then().statusCode(200);

        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get("/token")
                .then().statusCode(200).body(equalTo(kite.currentAccessToken()));
    }

    /** Every key Redis looked up, whatever the command (GET, MGET, GETEX, EVAL reading a key...). */
    private long keyLookups() {
        String stats = redis.execute("INFO", "stats").toString();
        return stats.lines().filter(line -> line.startsWith("keyspace_hits:") || line.startsWith("keyspace_misses:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip())).sum();
    }
}
