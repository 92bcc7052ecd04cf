package dev.kitetoken.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Issue 21: a filled-in .env (which Quarkus reads in dev mode too, at ordinal 295) and the environment must not
 * make dev mode half-real: the Kite simulator is whole, the production readers' secret and reminder channels
 * are not used, and Redis comes from the environment, never from .env.
 */
class DevModeConfigTest {

    /** A .env filled in for production, as docs/deploy.md has people make one. */
    private static final Map<String, String> PRODUCTION_DOT_ENV = Map.of(
            "KITE_API_KEY", "realapikey1234",
            "KITE_API_SECRET", "real-api-secret-0123456789abcdef",
            "KITE_READER_TOKENS", "production-reader-secret-0123456789abcdef",
            "KITE_ALLOWED_USER_IDS", "AB1234",
            "KITE_NOTIFY_TELEGRAM_BOT_TOKEN", "123:real-bot-token",
            "KITE_NOTIFY_WEBHOOK_URLS", "https://hooks.example.com/real",
            "QUARKUS_REDIS_HOSTS", "redis://kite-service:secret@production-redis:6379/0");

    @Test
    void aProductionDotEnvNeverReachesDevMode() {
        SmallRyeConfig config = devConfig(PRODUCTION_DOT_ENV, Map.of("KITE_LOGIN_URL", "https://kite.zerodha.com/connect/login"));

        assertThat(config.getValue("kite.api-key", String.class)).isEqualTo("devapikey0001");
        assertThat(config.getValue("kite.api-url", String.class)).isEqualTo("http://localhost:8080/kite-sim");
        assertThat(config.getValue("kite.login-url", String.class)).isEqualTo("http://localhost:8080/kite-sim/connect/login");
        assertThat(config.getValue("kite.reader-tokens", String.class)).isEqualTo("dev-reader-token");
        assertThat(config.getValue("kite.admin-tokens", String.class)).isEqualTo("dev-admin-token");
        for (String unset : new String[] { "kite.allowed-user-ids", "kite.notify-telegram-bot-token", "kite.notify-webhook-urls" }) {
            assertThat(config.getOptionalValue(unset, String.class)).as(unset).isEmpty();
        }
        Optional<String> redis = config.getOptionalValue("quarkus.redis.hosts", String.class);
        assertThat(redis).as("never the Redis of .env").isNotEqualTo(Optional.of(PRODUCTION_DOT_ENV.get("QUARKUS_REDIS_HOSTS")));
    }

    @Test
    void theDevPortCarriesIntoEveryUrl() {
        SmallRyeConfig config = devConfig(Map.of(), Map.of("QUARKUS_HTTP_PORT", "8181", "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:1"));
        assertThat(config.getValue("kite.public-url", String.class)).isEqualTo("http://localhost:8181");
        assertThat(config.getValue("kite.login-url", String.class)).isEqualTo("http://localhost:8181/kite-sim/connect/login");
    }

    @Test
    void outsideDevModeNothingIsPinned() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                .withSources(new EnvConfigSource(PRODUCTION_DOT_ENV, 295)).withSources(new DevModeConfigSourceFactory()).build();
        assertThat(config.getValue("kite.api-key", String.class)).isEqualTo("realapikey1234");
        assertThat(config.getValue("quarkus.redis.hosts", String.class)).isEqualTo(PRODUCTION_DOT_ENV.get("QUARKUS_REDIS_HOSTS"));
    }

    private static SmallRyeConfig devConfig(Map<String, String> dotEnv, Map<String, String> environment) {
        return new SmallRyeConfigBuilder().withProfile("dev").addDefaultInterceptors()
                .withSources(new EnvConfigSource(dotEnv, 295), new EnvConfigSource(environment, 300))
                .withDefaultValue("quarkus.http.port", "8080")
                .withSources(new DevModeConfigSourceFactory()).build();
    }
}
