package dev.kitetoken.support;

import java.net.URI;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Everything a test of the service talks to: a real Redis and a fake Kite over HTTP, plus the
 * configuration that points the service at them. Used by the {@code @QuarkusTest}s and by the
 * {@code @QuarkusIntegrationTest}, which runs the packaged jar under the prod profile and therefore gets
 * every kite.* value from here rather than from application.properties.
 */
public class KiteTestEnvironment implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "testapikey0001";
    public static final String API_SECRET = "test-api-secret-0123456789abcdef";
    public static final String READER_TOKEN = "test-reader-token-aaaaaaaaaaaaaaaaaaaa";
    public static final String OTHER_READER_TOKEN = "test-reader-token-bbbbbbbbbbbbbbbbbbbb";
    public static final String ADMIN_TOKEN = "test-admin-token-cccccccccccccccccccccc";
    /** The Kite user who logs in through the fake Kite (and the only one allowed), unless a test says otherwise. */
    public static final String ALLOWED_USER = dev.kitetoken.simulator.KiteSimulator.USER_ID;
    /** The port Quarkus tests listen on (quarkus.http.test-port). */
    public static final int SERVICE_PORT = 8081;
    public static final String PUBLIC_URL = "http://localhost:" + SERVICE_PORT;
    /** Health, metrics and OpenAPI: the management interface (quarkus.management.test-port). */
    public static final String MANAGEMENT_URL = "http://localhost:9001";

    private RedisServer redis;
    private FakeKiteServer kite;

    @Override
    public Map<String, String> start() {
        SecretLedger.record(READER_TOKEN);
        SecretLedger.record(OTHER_READER_TOKEN);
        SecretLedger.record(ADMIN_TOKEN);
        redis = RedisServer.start();
        kite = new FakeKiteServer(API_KEY, API_SECRET, URI.create(PUBLIC_URL + "/callback"));
        return Map.ofEntries(
                Map.entry("quarkus.redis.hosts", redis.url()),
                // The packaged jar of the integration tests does not get the management test port by itself.
                Map.entry("quarkus.management.port", "9001"),
                Map.entry("kite.api-key", API_KEY),
                Map.entry("kite.api-secret", API_SECRET),
                Map.entry("kite.api-url", kite.baseUrl()),
                Map.entry("kite.login-url", kite.baseUrl() + "/connect/login"),
                Map.entry("kite.public-url", PUBLIC_URL),
                Map.entry("kite.reader-tokens", READER_TOKEN + "," + OTHER_READER_TOKEN),
                Map.entry("kite.admin-tokens", ADMIN_TOKEN),
                Map.entry("kite.allowed-user-ids", ALLOWED_USER),
                Map.entry("kite.http-timeout", "2s"),
                Map.entry("kite.events-keep-alive", "1s"),
                // Tests run the periodic check themselves, when they want it.
                Map.entry("kite.check-interval", "off"));
    }

    /**
     * The environment of a packaged replica (prod profile) against this fake Kite and Redis, with the
     * public URL Kite redirects to: reader and admin secrets, the periodic Kite check off. Mutable, for
     * what a test adds.
     */
    public static Map<String, String> replica(FakeKiteServer kite, int publicPort, String redisUrl) {
        return new java.util.HashMap<>(Map.of(
                "KITE_API_KEY", API_KEY,
                "KITE_API_SECRET", API_SECRET,
                "KITE_API_URL", kite.baseUrl(),
                "KITE_LOGIN_URL", kite.baseUrl() + "/connect/login",
                "KITE_PUBLIC_URL", "http://localhost:" + publicPort,
                "KITE_READER_TOKENS", READER_TOKEN,
                "KITE_ADMIN_TOKENS", ADMIN_TOKEN,
                "KITE_ALLOWED_USER_IDS", ALLOWED_USER,
                "KITE_CHECK_INTERVAL", "off",
                "QUARKUS_REDIS_HOSTS", redisUrl));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kite, new TestInjector.AnnotatedAndMatchesType(InjectFakeKite.class, FakeKiteServer.class));
        injector.injectIntoFields(redis, new TestInjector.AnnotatedAndMatchesType(InjectRedisServer.class, RedisServer.class));
    }

    @Override
    public void stop() {
        if (kite != null) {
            kite.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }
}
