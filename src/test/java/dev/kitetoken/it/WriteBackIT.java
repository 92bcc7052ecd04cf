package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisProbe;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;
import dev.kitetoken.token.TokenIds;

/**
 * What replicas hold that Redis does not (logins made while Redis was down, a token lost in an empty
 * restart) is written back store-if-newer, with an event, so no replica answers from a stale copy.
 */
class WriteBackIT {

    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;

    private RedisServer redis;
    private FakeKiteServer kite;
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private int firstPort;
    private Map<String, String> environment;

    @BeforeEach
    void start() {
        Browser.installCookieJar();
        redis = RedisServer.start();
        firstPort = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + firstPort + "/callback"));
        environment = KiteTestEnvironment.replica(kite, firstPort, redis.url());
    }

    @AfterEach
    void stop() {
        replicas.forEach(ServiceProcess::close);
        kite.stop();
        redis.stop();
    }

    @Test
    void twoLoginsHeldWhileRedisWasDownTheNewerWinsTheOlderIsEndedNeverStored() {
        ServiceProcess a = replica("pending-a", firstPort);
        ServiceProcess b = replica("pending-b", ServiceProcess.freePort());
        redis.stopForNow();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.dependencies() == 503 && b.dependencies() == 503);

        logIn(a, 202);
        String older = kite.currentAccessToken();
        logIn(b, 202);
        String newer = kite.currentAccessToken();
        redis.startAgain();

        try (RedisProbe probe = new RedisProbe(redis.url())) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> newer.equals(probe.get(TOKEN_KEY)));
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> ended(TokenIds.tokenId(older)) == 1);
            Thread.sleep(2_000); // both replicas have had their tries
            assertThat(probe.get(TOKEN_KEY)).isEqualTo(newer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> summary = events().stream().map(e -> e.get("type").asText() + " " + e.get("token_id").asText()).toList();
        assertThat(summary).as("events").containsOnlyOnce("issued " + TokenIds.tokenId(newer), "invalidated " + TokenIds.tokenId(older))
                .doesNotContain("issued " + TokenIds.tokenId(older));
        for (ServiceProcess replica : List.of(a, b)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().auth().oauth2(KiteTestEnvironment.READER_TOKEN)
                    .accept("text/plain").get(replica.url() + "/token").then().statusCode(200).body(equalTo(newer)));
        }
    }

    /** Issue 21: while Redis is down, Log in again on Kite's page with a finished login link must not kill the kept token. */
    @Test
    void aSecondLogInWithAFinishedLoginLinkWhileRedisIsDownGetsTheFirstOutcome() {
        ServiceProcess a = replica("again-a", firstPort);
        redis.stopForNow();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.dependencies() == 503);
        URI callback = URI.create(Browser.callbackAfterLogin(a.url()).toString().replaceFirst("^http://localhost:\\d+", a.url()));
        String first = given().urlEncodingEnabled(false).accept("application/json").get(callback).then().statusCode(202)
                .extract().path("token_id");
        String kept = kite.currentAccessToken();
        String state = callback.getQuery().replaceFirst(".*state=([A-Za-z0-9_-]+).*", "$1");
        URI again = URI.create(kite.approve("state=" + state).toString().replaceFirst("^http://localhost:\\d+", a.url()));

        given().urlEncodingEnabled(false).accept("application/json").get(again).then().statusCode(202)
                .body("token_id", equalTo(first));
        assertThat(kite.sessionCalls()).as("one exchange").isEqualTo(1);
        assertThat(kite.currentAccessToken()).as("the kept token still works at Kite").isEqualTo(kept);
    }

    @Test
    void afterAnEmptyRestartNoReplicaAnswers404OnceRedisHoldsTheTokenAgain() throws Exception {
        List<ServiceProcess> three = List.of(replica("restart-a", firstPort), replica("restart-b", ServiceProcess.freePort()),
                replica("restart-c", ServiceProcess.freePort()));
        logIn(three.get(0), 200);
        String token = kite.currentAccessToken();

        // Continuous readers on every replica, each answer stamped with its time.
        record Answer(long at, int status) {
        }
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        List<Thread> readers = new ArrayList<>();
        for (ServiceProcess replica : three) {
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    int status = given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get(replica.url() + "/token").statusCode();
                    answers.add(new Answer(System.nanoTime(), status));
                    sleep(20);
                }
            });
            reader.start();
            readers.add(reader);
        }
        redis.restart(Duration.ofSeconds(2));
        long heldAgain;
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> token.equals(probe.get(TOKEN_KEY)));
            heldAgain = System.nanoTime();
        }
        Thread.sleep(5_000);
        reading.set(false);
        for (Thread reader : readers) {
            reader.join();
        }
        long lateNotFound = answers.stream().filter(a -> a.status() == 404 && a.at() > heldAgain + Duration.ofSeconds(2).toNanos()).count();
        assertThat(lateNotFound).as("404s more than 2 s after Redis held the token again, of %d answers", answers.size()).isZero();
        assertThat(events().stream().filter(e -> e.get("type").asText().equals("issued")).map(e -> e.get("reason").asText()))
                .as("the write-back is announced").contains("restored");
    }

    @Test
    void dataLostWhileEveryConnectionStaysUpIsWrittenBack() throws Exception {
        ServiceProcess a = replica("flushed-a", firstPort);
        ServiceProcess b = replica("flushed-b", ServiceProcess.freePort());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.dependencies() == 200 && b.dependencies() == 200);
        logIn(a, 200);
        String token = kite.currentAccessToken();

        // As a cluster node restarting empty looks to a subscriber on another node: data gone, connections up.
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            assertThat(probe.errorOf("FLUSHALL")).isNull();
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> token.equals(probe.get(TOKEN_KEY)));
        }
        assertThat(a.dependencies()).as("the subscription never dropped").isEqualTo(200);
        assertThat(events().stream().map(e -> e.get("type").asText() + "/" + e.get("reason").asText()))
                .containsExactly("issued/restored");
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get(b.url() + "/token").then().statusCode(200)
                .body("access_token", equalTo(token));
    }

    private ServiceProcess replica(String name, int port) {
        ServiceProcess replica = ServiceProcess.start(name, port, environment);
        replicas.add(replica);
        return replica;
    }

    private static void logIn(ServiceProcess replica, int status) {
        assertThat(Browser.logInThrough(replica.url())).isEqualTo(status);
    }

    private long ended(String tokenId) {
        return events().stream().filter(e -> !e.get("type").asText().equals("issued") && e.get("token_id").asText().equals(tokenId)).count();
    }

    private List<JsonNode> events() {
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            return probe.streamEvents(EventStream.STREAM).stream().map(EventStream::parse).toList();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
