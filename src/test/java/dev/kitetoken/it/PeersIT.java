package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FaultRelay;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisProbe;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;
import io.restassured.response.Response;

/**
 * Issue 24: replicas that name each other (KITE_PEERS, on their management ports) hand a login they cannot write to
 * Redis to a peer that can, and keep one nobody can write in more than one place. Each replica reaches Redis
 * through its own fault relay; a peer is made unreachable, slow or broken from one replica only.
 */
class PeersIT {

    private static final String PEER_SECRET = "test-peer-secret-dddddddddddddddddddddddd";
    /** A login's answer, then the issued event reaching the other replicas: the usual propagation, with room for 2 cores. */
    private static final Duration PROPAGATION = Duration.ofSeconds(2);

    private RedisServer redis;
    private FakeKiteServer kite;
    private final List<AutoCloseable> running = new ArrayList<>();
    private int portA;

    @BeforeEach
    void start() {
        Browser.installCookieJar();
        redis = RedisServer.start();
        portA = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET, URI.create("http://localhost:" + portA + "/callback"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        kite.stop();
        redis.stop();
    }

    @Test
    void aLoginThroughAReplicaCutOffFromRedisIsStoredByAPeerAndServedByEveryReplica() {
        int managementA = ServiceProcess.freePort();
        int managementB = ServiceProcess.freePort();
        int managementC = ServiceProcess.freePort();
        String peers = peers(managementA, managementB, managementC);
        FaultRelay relayA = relay(FaultRelay.to(redis.url()));
        ServiceProcess a = replica("peers-a", portA, managementA, relayA.redisUrl(), peers);
        ServiceProcess b = replica("peers-b", ServiceProcess.freePort(), managementB, redis.url(), peers);
        ServiceProcess c = replica("peers-c", ServiceProcess.freePort(), managementC, redis.url(), peers);
        assertThat(Browser.logInThrough(b.url())).isEqualTo(200);
        String before = kite.currentAccessToken();
        Awaitility.await().atMost(PROPAGATION).until(() -> before.equals(token(a)) && before.equals(token(c)));

        relayA.freeze();
        Response answer = callbackThrough(a);
        long answeredAt = System.nanoTime();
        String fresh = kite.currentAccessToken();
        assertThat(answer.statusCode()).as("A's answer: the login is stored (by a peer)").isEqualTo(200);
        Awaitility.await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50)).until(() -> fresh.equals(token(b)) && fresh.equals(token(c)));
        System.out.printf("peers: B and C served the login made through A (cut off from Redis) %d ms after A answered%n",
                Duration.ofNanos(System.nanoTime() - answeredAt).toMillis());
        assertThat(redisToken()).isEqualTo(fresh);
        assertThat(token(a)).as("A serves the new token too").isEqualTo(fresh);

        relayA.heal();
        assertThat(kite.sessionCalls()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fresh.equals(token(a)));
    }

    @Test
    void withEveryPeerUnreachableFromTheReplicaTheLoginIsKeptAsBefore() {
        int managementB = ServiceProcess.freePort();
        FaultRelay relayA = relay(FaultRelay.to(redis.url()));
        FaultRelay toB = relay(new FaultRelay("127.0.0.1", managementB));
        ServiceProcess b = replica("peers-b", ServiceProcess.freePort(), managementB, redis.url(), null);
        ServiceProcess a = replica("peers-a", portA, ServiceProcess.freePort(), relayA.redisUrl(), "http://127.0.0.1:" + toB.port());
        assertThat(Browser.logInThrough(b.url())).isEqualTo(200);

        relayA.freeze();
        toB.freeze();
        long started = System.nanoTime();
        Response answer = callbackThrough(a);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answer.statusCode()).as("kept on A until Redis answers").isEqualTo(202);
        assertThat(token(a)).isEqualTo(kite.currentAccessToken());
        System.out.printf("peers: with the only peer frozen, A answered 202 in %d ms%n", took.toMillis());

        relayA.heal();
        toB.heal();
        String fresh = kite.currentAccessToken();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fresh.equals(token(b)));
    }

    @Test
    void aLoginKeptWhileRedisIsDownForEveryoneSurvivesItsReplica() {
        int managementA = ServiceProcess.freePort();
        int managementB = ServiceProcess.freePort();
        String peers = peers(managementA, managementB);
        ServiceProcess a = replica("peers-a", portA, managementA, redis.url(), peers);
        ServiceProcess b = replica("peers-b", ServiceProcess.freePort(), managementB, redis.url(), peers);

        redis.stopForNow();
        Response answer = callbackThrough(a);
        assertThat(answer.statusCode()).as("kept: no replica reaches Redis").isEqualTo(202);
        String kept = kite.currentAccessToken();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> kept.equals(token(b)));

        a.kill();
        redis.startAgain();
        long back = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                .until(() -> kept.equals(redisToken()));
        System.out.printf("peers: a login kept on A and offered to B reached Redis %d ms after Redis came back, with A dead%n",
                Duration.ofNanos(System.nanoTime() - back).toMillis());
        assertThat(token(b)).isEqualTo(kept);
    }

    @Test
    void aSlowOrBrokenPeerDoesNotHoldTheCallbackPastItsTimeout() throws Exception {
        int managementB = ServiceProcess.freePort();
        FaultRelay relayA = relay(FaultRelay.to(redis.url()));
        FaultRelay relayPlain = relay(FaultRelay.to(redis.url()));
        FaultRelay slow = relay(new FaultRelay("127.0.0.1", managementB));
        try (Garbage garbage = new Garbage()) {
            ServiceProcess b = replica("peers-b", ServiceProcess.freePort(), managementB, redis.url(), null);
            // Side by side: "plain" has only the good peer, A has a frozen one and a garbage one besides.
            ServiceProcess plain = replica("peers-plain", ServiceProcess.freePort(), ServiceProcess.freePort(), relayPlain.redisUrl(),
                    "http://127.0.0.1:" + managementB);
            ServiceProcess a = replica("peers-a", portA, ServiceProcess.freePort(), relayA.redisUrl(),
                    "http://127.0.0.1:" + slow.port() + ",http://127.0.0.1:" + garbage.port() + ",http://127.0.0.1:" + managementB);
            assertThat(Browser.logInThrough(b.url())).isEqualTo(200);
            slow.freeze();
            relayA.freeze();
            relayPlain.freeze();

            long started = System.nanoTime();
            assertThat(callbackThrough(plain).statusCode()).isEqualTo(200);
            Duration withGoodPeerOnly = Duration.ofNanos(System.nanoTime() - started);
            started = System.nanoTime();
            Response answer = callbackThrough(a);
            Duration withBrokenPeers = Duration.ofNanos(System.nanoTime() - started);
            assertThat(answer.statusCode()).as("B, the good peer, stored it").isEqualTo(200);
            String fresh = kite.currentAccessToken();
            Awaitility.await().atMost(PROPAGATION).until(() -> fresh.equals(token(b)));
            // The peers are asked at once: the good one's answer ends the wait, whatever the others do.
            assertThat(withBrokenPeers).as("the callback with a frozen and a garbage peer besides the good one")
                    .isLessThan(withGoodPeerOnly.plusSeconds(1));
            System.out.printf("peers: a callback cut off from Redis answered in %d ms with the good peer only, %d ms with a frozen and a garbage one besides%n",
                    withGoodPeerOnly.toMillis(), withBrokenPeers.toMillis());
        }
    }

    private ServiceProcess replica(String name, int port, int managementPort, String redisUrl, String peers) {
        Map<String, String> environment = new HashMap<>(KiteTestEnvironment.replica(kite, portA, redisUrl));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        // Every replica takes peers' calls; only those given peers make them.
        environment.put("KITE_PEER_SECRET", PEER_SECRET);
        if (peers != null) {
            environment.put("KITE_PEERS", peers);
        }
        ServiceProcess replica = ServiceProcess.start(name, port, environment);
        running.add(replica);
        return replica;
    }

    private FaultRelay relay(FaultRelay relay) {
        running.add(relay);
        return relay;
    }

    private static String peers(int... managementPorts) {
        List<String> urls = new ArrayList<>();
        for (int port : managementPorts) {
            urls.add("http://127.0.0.1:" + port);
        }
        return String.join(",", urls);
    }

    private static Response callbackThrough(ServiceProcess replica) {
        URI callback = Browser.callbackAfterLogin(replica.url());
        URI toReplica = URI.create(callback.toString().replaceFirst("^http://localhost:\\d+", replica.url()));
        return given().urlEncodingEnabled(false).accept("application/json").get(toReplica);
    }

    private String redisToken() {
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            return probe.get("kite:access_token:" + KiteTestEnvironment.API_KEY);
        } catch (RuntimeException e) {
            return null; // Redis not back yet
        }
    }

    private static String token(ServiceProcess replica) {
        Response answer = given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(replica.url() + "/token");
        return answer.statusCode() == 200 ? answer.asString() : null;
    }

    /** A peer that answers every call with bytes that are not HTTP, then hangs up. */
    private static final class Garbage implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(ServiceProcess.freePort(), 50, InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::serve, "garbage-peer");

        Garbage() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("\u0000\u0001 not http at all \r\n\r\n{{{".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed, or the caller hung up
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
