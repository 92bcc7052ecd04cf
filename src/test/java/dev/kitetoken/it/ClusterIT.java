package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
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
import dev.kitetoken.support.RedisCluster;
import dev.kitetoken.support.ServiceProcess;
import dev.kitetoken.token.TokenIds;
import io.restassured.response.Response;

/**
 * Two replicas of the packaged service on a real Redis Cluster (three masters, three replicas, on
 * loopback), with the hash-tagged prefix the service requires there: login, reads on both replicas, events
 * across nodes, a report, a cutoff, an empty restart of the node holding the slot, and a failover of that
 * node under load.
 */
class ClusterIT {

    private static final String PREFIX = "{kite}";
    private static final String TOKEN_KEY = PREFIX + ":access_token:" + KiteTestEnvironment.API_KEY;
    private static final String STREAM = PREFIX + ":events-log:" + KiteTestEnvironment.API_KEY;
    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    private static final Duration CUTOFF_AFTER_START = Duration.ofSeconds(75);
    private static final Duration SOON = Duration.ofSeconds(15);

    private RedisCluster cluster;
    private FakeKiteServer kite;
    private final List<ServiceProcess> replicas = new ArrayList<>();

    @BeforeEach
    void start() {
        Browser.installCookieJar();
        cluster = RedisCluster.start();
        int firstPort = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + firstPort + "/callback"));
        LocalTime cutoff = LocalTime.now(IST).plus(CUTOFF_AFTER_START).truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> environment = KiteTestEnvironment.replica(kite, firstPort, cluster.hosts());
        environment.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        environment.put("KITE_REDIS_PREFIX", PREFIX);
        environment.put("KITE_EXPIRY_TIME", cutoff.toString().length() == 5 ? cutoff + ":00" : cutoff.toString());
        environment.put("KITE_HTTP_TIMEOUT", "2s");
        replicas.add(ServiceProcess.start("cluster-a", firstPort, environment));
        replicas.add(ServiceProcess.start("cluster-b", ServiceProcess.freePort(), environment));
    }

    @AfterEach
    void stop() {
        replicas.forEach(ServiceProcess::close);
        kite.stop();
        cluster.close();
    }

    @Test
    void loginReadsEventsReportCutoffEmptyRestartAndFailoverAllWorkOnACluster() throws Exception {
        ServiceProcess a = replicas.get(0);
        ServiceProcess b = replicas.get(1);
        Awaitility.await().atMost(SOON).until(() -> a.dependencies() == 200 && b.dependencies() == 200);

        // Login through a; a long-poll already waiting on b hears it through the cluster's pub/sub.
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> reader().get(b.url() + "/token?wait=30"));
        Thread.sleep(500);
        logIn(a);
        String token = kite.currentAccessToken();
        assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(cluster.cli("GET", TOKEN_KEY)).isEqualTo(token);
        for (ServiceProcess replica : replicas) {
            reader().get(replica.url() + "/token").then().statusCode(200);
        }

        // A report that Kite confirms ends the token once, for both replicas.
        kite.killSession();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("application/json")
                .body("{\"token_id\":\"" + TokenIds.tokenId(token) + "\"}").post(b.url() + "/token/invalidate")
                .then().statusCode(200);
        Awaitility.await().atMost(SOON).until(() -> reader().get(a.url() + "/token").statusCode() == 404);
        assertThat(cluster.cli("GET", TOKEN_KEY)).isEmpty();

        // The cutoff, a minute or so after start, is published once.
        logIn(b);
        String beforeCutoff = kite.currentAccessToken();
        Awaitility.await().atMost(CUTOFF_AFTER_START.plus(SOON)).pollInterval(Duration.ofMillis(250))
                .until(() -> summary().contains("expired/cutoff"));
        assertThat(summary()).containsExactly("issued/login", "invalidated/reported", "issued/login", "expired/cutoff");
        assertThat(events().get(3).get("token_id").asText()).isEqualTo(TokenIds.tokenId(beforeCutoff));

        // The master of the slot restarts empty: the replicas write the token back.
        logIn(a);
        String current = kite.currentAccessToken();
        cluster.restartEmpty(cluster.masterOf(TOKEN_KEY));
        Awaitility.await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> current.equals(cluster.cli("GET", TOKEN_KEY)));
        assertThat(summary()).contains("issued/restored");

        // A failover of that node under load: readers on both replicas, a long-poll held across it.
        String currentId = TokenIds.tokenId(current);
        CompletableFuture<Response> heldAcross = CompletableFuture.supplyAsync(() -> reader()
                .header("If-None-Match", "\"" + currentId + "\"").get(b.url() + "/token?wait=60"));
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
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
        Thread.sleep(1_000);
        cluster.failOver(cluster.masterOf(TOKEN_KEY));
        a.awaitDependenciesUp(SOON);
        b.awaitDependenciesUp(SOON);
        Awaitility.await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> current.equals(cluster.cli("GET", TOKEN_KEY)));
        logIn(a);
        String afterFailover = kite.currentAccessToken();
        Response woken = heldAcross.get(20, TimeUnit.SECONDS);
        reading.set(false);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(woken.statusCode()).as("the long-poll held across the failover").isEqualTo(200);
        assertThat(woken.jsonPath().getString("access_token")).isEqualTo(afterFailover);
        assertThat(statuses).as("answers during the failover: 200, or a documented 503").isNotEmpty()
                .allMatch(status -> status == 200 || status == 503);
    }

    private static void logIn(ServiceProcess replica) {
        assertThat(Browser.logInThrough(replica.url())).isEqualTo(200);
    }

    private static io.restassured.specification.RequestSpecification reader() {
        return given().auth().oauth2(KiteTestEnvironment.READER_TOKEN);
    }

    private List<JsonNode> events() {
        return cluster.cli("XRANGE", STREAM, "-", "+").lines().filter(line -> line.startsWith("{")).map(EventStream::parse).toList();
    }

    private List<String> summary() {
        return events().stream().map(e -> e.get("type").asText() + "/" + e.get("reason").asText()).toList();
    }
}
