package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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
import dev.kitetoken.support.RedisSentinels;
import dev.kitetoken.support.ServiceProcess;
import dev.kitetoken.token.TokenIds;
import io.restassured.response.Response;

/**
 * Two replicas of the packaged service on Redis with automatic failover (a master, two replicas, three
 * sentinels on loopback), configured through the Quarkus Redis client's sentinel type. The master is killed
 * under steady reads, in the middle of a login, and just after a re-login that never reached the replicas.
 */
class SentinelIT {

    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private RedisSentinels redis;
    private FakeKiteServer kite;
    private final List<ServiceProcess> replicas = new ArrayList<>();

    @BeforeEach
    void start() {
        Browser.installCookieJar();
        redis = RedisSentinels.start();
        int firstPort = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + firstPort + "/callback"));
        Map<String, String> environment = KiteTestEnvironment.replica(kite, firstPort, redis.sentinelHosts());
        environment.put("QUARKUS_REDIS_CLIENT_TYPE", "sentinel");
        environment.put("QUARKUS_REDIS_MASTER_NAME", RedisSentinels.MASTER_NAME);
        environment.put("QUARKUS_REDIS_ROLE", "master");
        environment.put("KITE_HTTP_TIMEOUT", "3s");
        replicas.add(ServiceProcess.start("sentinel-a", firstPort, environment));
        replicas.add(ServiceProcess.start("sentinel-b", ServiceProcess.freePort(), environment));
        Awaitility.await().atMost(TEN_SECONDS).until(() -> replicas.stream().allMatch(r -> r.dependencies() == 200));
    }

    @AfterEach
    void stop() {
        replicas.forEach(ServiceProcess::close);
        kite.stop();
        redis.close();
    }

    @Test
    void underSteadyReadsTheReplicasFollowTheNewMasterAndAHeldLongPollHearsTheNextChange() throws Exception {
        logIn(replicas.get(0), 200);
        String token = kite.currentAccessToken();
        CompletableFuture<Response> held = CompletableFuture.supplyAsync(() -> reader()
                .header("If-None-Match", "\"" + TokenIds.tokenId(token) + "\"").get(replicas.get(1).url() + "/token?wait=60"));
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        List<Thread> readers = readEverywhere(reading, statuses);
        Thread.sleep(500);

        redis.killMasterAndAwaitFailover(Duration.ofSeconds(30));
        long failedOver = System.nanoTime();
        Awaitility.await().atMost(TEN_SECONDS).until(() -> replicas.stream().allMatch(r -> r.dependencies() == 200));
        assertThat(Duration.ofNanos(System.nanoTime() - failedOver)).isLessThan(TEN_SECONDS);
        assertThat(redis.onMaster("GET", TOKEN_KEY)).isEqualTo(token);

        logIn(replicas.get(0), 200);
        String next = kite.currentAccessToken();
        Response woken = held.get(20, TimeUnit.SECONDS);
        stopReading(reading, readers);
        assertThat(woken.statusCode()).as("the long-poll held across the failover").isEqualTo(200);
        assertThat(woken.jsonPath().getString("access_token")).isEqualTo(next);
        assertThat(statuses).as("answers during the failover: 200, or a documented 503").isNotEmpty()
                .allMatch(status -> status == 200 || status == 503);
    }

    @Test
    void aLoginWhoseMasterDiesMidwayStillEndsUpOnTheNewMaster() throws Exception {
        kite.exchangeDelay(Duration.ofMillis(1_500));
        CompletableFuture<Integer> login = CompletableFuture.supplyAsync(() -> logInStatus(replicas.get(0)));
        // Killed once the exchange is at Kite: before that, Redis down answers the callback with a documented 503.
        Awaitility.await().atMost(TEN_SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> kite.sessionCalls() > 0);
        redis.killMasterAndAwaitFailover(Duration.ofSeconds(30));
        int status = login.get(30, TimeUnit.SECONDS);
        assertThat(status).as("stored (200), or kept by the replica until Redis answers (202)").isIn(200, 202);
        String token = kite.currentAccessToken();

        Awaitility.await().atMost(TEN_SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> token.equals(redis.onMaster("GET", TOKEN_KEY)));
        for (ServiceProcess replica : replicas) {
            Awaitility.await().atMost(TEN_SECONDS).until(() -> token.equals(reader().get(replica.url() + "/token").jsonPath().getString("access_token")));
        }
    }

    @Test
    void aReLoginTheFailoverLostIsWrittenBackAndTheTokenItEndedIsNeverServedAgain() throws Exception {
        logIn(replicas.get(0), 200);
        String ended = kite.currentAccessToken();
        Awaitility.await().atMost(TEN_SECONDS).until(() -> ended.equals(redis.onMaster("GET", TOKEN_KEY)));
        Thread.sleep(500); // replicated

        // Readers on both replicas throughout, each answer stamped with when its request started.
        record Served(long startedAt, String token) {
        }
        ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        List<Thread> readers = new ArrayList<>();
        for (ServiceProcess replica : replicas) {
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    long startedAt = System.nanoTime();
                    Response answer = reader().get(replica.url() + "/token");
                    if (answer.statusCode() == 200) {
                        served.add(new Served(startedAt, answer.jsonPath().getString("access_token")));
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }

        // The re-login reaches the master only, which dies at once: the new master holds the ended token.
        redis.stopReplication();
        logIn(replicas.get(1), 200);
        long reloggedIn = System.nanoTime();
        redis.killMasterAndAwaitFailover(Duration.ofSeconds(30));
        String current = kite.currentAccessToken();

        Awaitility.await().atMost(TEN_SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> current.equals(redis.onMaster("GET", TOKEN_KEY)));
        Thread.sleep(1_000);
        stopReading(reading, readers);
        assertThat(served.stream().filter(answer -> answer.startedAt() > reloggedIn).map(Served::token))
                .as("no replica served the token the re-login ended").doesNotContain(ended).contains(current);
        List<String> events = redis.onMaster("XRANGE", "kite:events-log:" + KiteTestEnvironment.API_KEY, "-", "+").lines()
                .filter(line -> line.startsWith("{")).map(EventStream::parse).map(SentinelIT::summary).toList();
        assertThat(events).as("the new master's stream tells what happened").contains(
                "issued/login " + TokenIds.tokenId(ended), "issued/restored " + TokenIds.tokenId(current));
    }

    private static String summary(JsonNode event) {
        return event.get("type").asText() + "/" + event.get("reason").asText() + " " + event.get("token_id").asText();
    }

    private List<Thread> readEverywhere(AtomicBoolean reading, ConcurrentLinkedQueue<Integer> statuses) {
        List<Thread> readers = new ArrayList<>();
        for (ServiceProcess replica : replicas) {
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    statuses.add(reader().get(replica.url() + "/token").statusCode());
                }
            });
            reader.start();
            readers.add(reader);
        }
        return readers;
    }

    private static void stopReading(AtomicBoolean reading, List<Thread> readers) throws InterruptedException {
        reading.set(false);
        for (Thread reader : readers) {
            reader.join();
        }
    }

    private void logIn(ServiceProcess replica, int status) {
        assertThat(logInStatus(replica)).isEqualTo(status);
    }

    private static int logInStatus(ServiceProcess replica) {
        return Browser.logInThrough(replica.url());
    }

    private static io.restassured.specification.RequestSpecification reader() {
        return given().auth().oauth2(KiteTestEnvironment.READER_TOKEN);
    }
}
