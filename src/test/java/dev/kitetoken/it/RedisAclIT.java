package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisProbe;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;
import dev.kitetoken.token.TokenIds;

/**
 * The Redis ACL users of k8s/redis/acl.secret.template.yaml, applied as written to a real Redis: the
 * service runs on its own limited user, and the reader user for trading pods can read and subscribe but
 * not write or read anything else.
 */
class RedisAclIT {

    private static final String SERVICE_PASSWORD = "service-password-0123456789abcdef";
    private static final String READER_PASSWORD = "reader-password-0123456789abcdef";
    private static final String TOKEN_KEY = "kite:access_token:" + KiteTestEnvironment.API_KEY;

    private static RedisServer redis;
    private static FakeKiteServer kite;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        // Before any given(): a request specification takes the global filters when it is created.
        Browser.installCookieJar();
        redis = RedisServer.start();
        List<String> users = Files.readAllLines(Path.of("k8s/redis/acl.secret.template.yaml")).stream()
                .map(String::strip).filter(line -> line.startsWith("user ")).toList();
        assertThat(users).hasSize(3);
        try (RedisProbe admin = new RedisProbe(redis.url())) {
            // The default user goes last: it is the one applying the others.
            for (String user : users.stream().sorted((a, b) -> a.startsWith("user default") ? 1 : b.startsWith("user default") ? -1 : 0).toList()) {
                String line = user.startsWith("user kite-service") ? user.replace("<password>", SERVICE_PASSWORD)
                        : user.replace("<password>", READER_PASSWORD);
                String[] words = line.split("\\s+");
                String error = admin.errorOf("ACL", concat("SETUSER", java.util.Arrays.copyOfRange(words, 1, words.length)));
                assertThat(error).as(line).isNull();
            }
        }
        int port = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET, URI.create("http://localhost:" + port + "/callback"));
        service = ServiceProcess.start("acl-replica", port, KiteTestEnvironment.replica(kite, port, userUrl("kite-service", SERVICE_PASSWORD)));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (kite != null) {
            kite.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void theServiceWorksOnItsOwnLimitedUserAndTheReaderCanOnlyRead() {
        given().urlEncodingEnabled(false).accept("application/json").get(Browser.callbackAfterLogin(service.url()))
                .then().statusCode(200);
        String token = kite.currentAccessToken();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(service.url() + "/token")
                .then().statusCode(200).body(equalTo(token));

        try (RedisProbe reader = new RedisProbe(userUrl("kite-reader", READER_PASSWORD))) {
            assertThat(reader.get(TOKEN_KEY)).isEqualTo(token);
            assertThat(reader.get("kite:session:" + KiteTestEnvironment.API_KEY)).contains(TokenIds.tokenId(token));
            assertThat(reader.errorOf("XREAD", "COUNT", "10", "STREAMS", "kite:events-log:" + KiteTestEnvironment.API_KEY, "0")).isNull();
            assertThat(reader.subscribeErrorOf("kite:events:" + KiteTestEnvironment.API_KEY)).isNull();
            assertThat(reader.subscribeErrorOf("other:channel")).startsWith("NOPERM");
        }
        try (RedisProbe reader = new RedisProbe(userUrl("kite-reader", READER_PASSWORD))) {
            assertThat(reader.errorOf("SET", TOKEN_KEY, "forged")).startsWith("NOPERM");
            assertThat(reader.errorOf("DEL", TOKEN_KEY)).startsWith("NOPERM");
            assertThat(reader.errorOf("GET", "kite:login-state:x")).startsWith("NOPERM");
            assertThat(reader.errorOf("XADD", "kite:events-log:" + KiteTestEnvironment.API_KEY, "*", "event", "{}")).startsWith("NOPERM");
            assertThat(reader.errorOf("PUBLISH", "kite:events:" + KiteTestEnvironment.API_KEY, "{}")).startsWith("NOPERM");
            assertThat(reader.errorOf("KEYS", "*")).startsWith("NOPERM");
        }
        try (RedisProbe serviceUser = new RedisProbe(userUrl("kite-service", SERVICE_PASSWORD))) {
            assertThat(serviceUser.errorOf("SET", "other:key", "x")).startsWith("NOPERM");
            assertThat(serviceUser.errorOf("FLUSHALL")).startsWith("NOPERM");
        }
        try (RedisProbe anonymous = new RedisProbe(redis.url())) {
            assertThat(anonymous.errorOf("GET", TOKEN_KEY)).isNotNull();
        }

        // Invalidation and logout work with the limited user too.
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete(service.url() + "/token")
                .then().statusCode(200).body("invalidated", equalTo(true));
    }

    private static String userUrl(String user, String password) {
        return redis.url().replace("redis://", "redis://" + user + ":" + password + "@");
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
