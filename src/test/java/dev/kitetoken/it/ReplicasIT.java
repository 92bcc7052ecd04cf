package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisProbe;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;
import dev.kitetoken.token.TokenIds;
import io.restassured.response.Response;

/**
 * Three replicas of the packaged service on one Redis, as in a Deployment: a login through one is
 * served by all, the cutoff is published once even after the issuing replica died, a Redis restart is
 * survived, and a cutoff missed by every replica is published by the next one to start.
 * <p>
 * Over 200 lines: the scenarios run in order on the same three processes, which take long to start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    /** Long enough for three JVMs to start on two cores and for a login. */
    private static final Duration CUTOFF_AFTER_START = Duration.ofSeconds(45);

    private static RedisServer redis;
    private static FakeKiteServer kite;
    private static Map<String, String> environment;
    private static final List<ServiceProcess> replicas = new ArrayList<>();
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static ServiceProcess third;
    private static String tokenId;

    @BeforeAll
    static void startReplicas() throws Exception {
        // Before any given(): a request specification takes the global filters when it is created.
        Browser.installCookieJar();
        redis = RedisServer.start();
        int publicPort = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + publicPort + "/callback"));
        LocalTime cutoff = LocalTime.now(IST).plus(CUTOFF_AFTER_START).truncatedTo(ChronoUnit.SECONDS);
        environment = Map.ofEntries(
                Map.entry("KITE_API_KEY", KiteTestEnvironment.API_KEY),
                Map.entry("KITE_API_SECRET", KiteTestEnvironment.API_SECRET),
                Map.entry("KITE_API_URL", kite.baseUrl()),
                Map.entry("KITE_LOGIN_URL", kite.baseUrl() + "/connect/login"),
                Map.entry("KITE_PUBLIC_URL", "http://localhost:" + publicPort),
                Map.entry("KITE_READER_TOKENS", KiteTestEnvironment.READER_TOKEN),
                Map.entry("KITE_ADMIN_TOKENS", KiteTestEnvironment.ADMIN_TOKEN),
                Map.entry("KITE_ALLOWED_USER_IDS", KiteTestEnvironment.ALLOWED_USER),
                Map.entry("KITE_EXPIRY_TIME", cutoff.toString().length() == 5 ? cutoff + ":00" : cutoff.toString()),
                Map.entry("KITE_CHECK_INTERVAL", "off"),
                Map.entry("KITE_HTTP_TIMEOUT", "2s"),
                Map.entry("QUARKUS_REDIS_HOSTS", redis.url()));
        List<CompletableFuture<ServiceProcess>> starting = List.of(
                CompletableFuture.supplyAsync(() -> start("replica-1", publicPort)),
                CompletableFuture.supplyAsync(() -> start("replica-2", ServiceProcess.freePort())),
                CompletableFuture.supplyAsync(() -> start("replica-3", ServiceProcess.freePort())));
        first = starting.get(0).get(90, TimeUnit.SECONDS);
        second = starting.get(1).get(90, TimeUnit.SECONDS);
        third = starting.get(2).get(90, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopEverything() {
        replicas.forEach(ServiceProcess::close);
        if (kite != null) {
            kite.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    @Order(1)
    void aLoginThroughOneReplicaIsServedByAll() {
        given().urlEncodingEnabled(false).accept("application/json").get(toReplica(Browser.callbackAfterLogin(first.url()), first))
                .then().statusCode(200);
        String token = kite.currentAccessToken();
        tokenId = TokenIds.tokenId(token);

        for (ServiceProcess replica : List.of(first, second, third)) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(replica.url() + "/token")
                    .then().statusCode(200).body(equalTo(token));
        }
        // In production the console log is JSON, one object per line.
        assertThat(first.consoleOutput().lines().filter(line -> line.contains("Stored token")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
    }

    @Test
    @Order(2)
    void theCutoffIsPublishedOnceEvenAfterTheIssuingReplicaDied() throws Exception {
        first.kill();
        Instant expiresAt = expiresAt();
        // Today's cutoff, a few seconds ahead; a start-up slower than CUTOFF_AFTER_START would put it a day
        // away, and the wait below would last a day: fail at once instead.
        assertThat(expiresAt).as("the token expires at the configured cutoff, in the future and less than %s away", CUTOFF_AFTER_START)
                .isAfter(Instant.now()).isBefore(Instant.now().plus(CUTOFF_AFTER_START));

        Awaitility.await().atMost(Duration.between(Instant.now(), expiresAt).plusSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> events().stream().anyMatch(e -> e.get("type").asText().equals("expired")));
        Thread.sleep(2_000); // let both surviving replicas have their try

        List<JsonNode> expired = events().stream().filter(e -> e.get("type").asText().equals("expired")).toList();
        assertThat(expired).hasSize(1);
        assertThat(expired.get(0).get("token_id").asText()).isEqualTo(tokenId);
        assertThat(expired.get(0).get("reason").asText()).isEqualTo("cutoff");
        for (ServiceProcess replica : List.of(second, third)) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get(replica.url() + "/token").then().statusCode(404);
        }
    }

    @Test
    @Order(3)
    void afterARedisRestartEveryReplicaHearsTheNextEventWithinFiveSeconds() throws Exception {
        CompletableFuture<Void> outageSeen = CompletableFuture.runAsync(() -> Awaitility.await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> second.dependencies() == 503));
        redis.restart(Duration.ofSeconds(2));
        outageSeen.get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> second.dependencies() == 200 && third.dependencies() == 200);

        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        for (ServiceProcess replica : List.of(second, third)) {
            waiting.add(CompletableFuture.supplyAsync(() -> given().auth().oauth2(KiteTestEnvironment.READER_TOKEN)
                    .queryParam("wait", 30).get(replica.url() + "/token").andReturn()));
        }
        Thread.sleep(500);
        given().urlEncodingEnabled(false).accept("application/json").get(toReplica(Browser.callbackAfterLogin(second.url()), second))
                .then().statusCode(200);
        long loggedIn = System.nanoTime();

        for (CompletableFuture<Response> answer : waiting) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - loggedIn)).isLessThan(Duration.ofSeconds(5));

        // Redis goes away again: a replica keeps serving the token it knows, until that token's expiry.
        String token = kite.currentAccessToken();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> redis.restart(Duration.ofSeconds(3)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> third.dependencies() == 503);
        // Redis is shared by every replica: its outage must not take them out of their Services.
        assertThat(List.of(second.readiness(), third.readiness())).as("readiness while Redis is down").containsOnly(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(third.url() + "/token")
                .then().statusCode(200).body(equalTo(token));
        restart.get(30, TimeUnit.SECONDS);

        // Redis came back empty: the replicas that knew the token write it back, within 5 s, for pods that read Redis.
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> token.equals(probe.get("kite:access_token:" + KiteTestEnvironment.API_KEY)));
            assertThat(probe.get("kite:session:" + KiteTestEnvironment.API_KEY)).contains(TokenIds.tokenId(token));
        }
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(second.url() + "/token")
                .then().statusCode(200).body(equalTo(token));
    }

    @Test
    @Order(4)
    void aCutoffEveryReplicaMissedIsPublishedOnceByTheNextToStart() {
        second.close();
        third.close();
        String past = OffsetDateTime.now(IST).minusMinutes(5).truncatedTo(ChronoUnit.SECONDS).toString();
        String missedTokenId = "feedfacecafebeef";
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            probe.xadd(EventStream.STREAM, "{\"type\":\"issued\",\"api_key\":\"" + KiteTestEnvironment.API_KEY
                    + "\",\"user_id\":\"SIM001\",\"token_id\":\"" + missedTokenId + "\",\"reason\":\"login\",\"at\":\"" + past
                    + "\",\"expires_at\":\"" + past + "\"}");
        }

        start("replica-4", ServiceProcess.freePort());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> expiredCount(missedTokenId) == 1);
        start("replica-5", ServiceProcess.freePort());
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> expiredCount(missedTokenId) == 1);
    }

    @Test
    @Order(5)
    void aLoginWhileRedisIsDownIsKeptAndWrittenWhenRedisAnswers() {
        ServiceProcess replica = start("replica-6", ServiceProcess.freePort());
        redis.stopForNow();
        boolean redisDown = true;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> replica.dependencies() == 503);
            assertThat(replica.readiness()).as("readiness while Redis is down").isEqualTo(200);

            // The whole login while Redis is down: /login needs no Redis (its state is signed), nor does the callback.
            URI callback = toReplica(Browser.callbackAfterLogin(replica.url()), replica);
            given().urlEncodingEnabled(false).accept("application/json").get(callback)
                    .then().statusCode(202).body("replicated", equalTo(false));
            String token = kite.currentAccessToken();
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(replica.url() + "/token")
                    .then().statusCode(200).body(equalTo(token));

            redis.startAgain();
            redisDown = false;
            try (RedisProbe probe = new RedisProbe(redis.url())) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> token.equals(probe.get("kite:access_token:" + KiteTestEnvironment.API_KEY)));
            }
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> events().stream()
                    .anyMatch(e -> e.get("type").asText().equals("issued") && e.get("token_id").asText().equals(TokenIds.tokenId(token))));
        } finally {
            if (redisDown) {
                redis.startAgain();
            }
        }
    }

    private static long expiredCount(String id) {
        return events().stream().filter(e -> e.get("type").asText().equals("expired") && e.get("token_id").asText().equals(id)).count();
    }

    private static List<JsonNode> events() {
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            return probe.streamEvents(EventStream.STREAM).stream().map(EventStream::parse).toList();
        }
    }

    private static Instant expiresAt() {
        return events().stream().filter(e -> e.get("type").asText().equals("issued")).reduce((a, b) -> b)
                .map(e -> OffsetDateTime.parse(e.get("expires_at").asText()).toInstant()).orElseThrow();
    }

    /** Kite redirects to the public URL; the load balancer in front of the replicas picks this one. */
    private static URI toReplica(URI callback, ServiceProcess replica) {
        return URI.create(callback.toString().replaceFirst("^http://localhost:\\d+", replica.url()));
    }

    private static ServiceProcess start(String name, int port) {
        ServiceProcess replica = ServiceProcess.start(name, port, environment);
        synchronized (replicas) {
            replicas.add(replica);
        }
        return replica;
    }

}
