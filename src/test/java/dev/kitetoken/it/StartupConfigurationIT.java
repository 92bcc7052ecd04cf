package dev.kitetoken.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.PackagedApp;

/**
 * A production start without the required settings stops at once with one readable line, no stack trace;
 * one open to every Zerodha user starts only when asked to, and says so.
 */
class StartupConfigurationIT {

    @Test
    void missingRequiredVariablesAreNamedInOneLine() throws Exception {
        Result result = start(Map.of());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("KITE_API_KEY is required", "KITE_API_SECRET is required",
                "KITE_READER_TOKENS is required", "KITE_ALLOWED_USER_IDS is required");
        assertThat(result.output().lines().filter(line -> line.contains("KITE_API_KEY"))).hasSize(1);
        assertThat(result.output()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void aMalformedApiKeyIsNamedWithoutEchoingTheSecret() throws Exception {
        Result result = start(Map.of("KITE_API_KEY", "not a key!", "KITE_API_SECRET", "very-secret-value-0001",
                "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("KITE_API_KEY must be 1 to 64 letters and digits")
                .doesNotContain("very-secret-value-0001", "\tat ");
    }

    @Test
    void weakBearerSecretsAreRefusedInProduction() throws Exception {
        Result result = start(Map.of("KITE_API_KEY", "abcd1234", "KITE_API_SECRET", "very-secret-value-0001",
                "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123,short", "KITE_ADMIN_TOKENS", "admin"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("KITE_READER_TOKENS: every secret must be at least 32 characters",
                "KITE_ADMIN_TOKENS: every secret must be at least 32 characters").doesNotContain("short,", "\tat ");
    }

    @Test
    void aClusterWithoutAHashTagInThePrefixIsRefusedWithWhatToSet() throws Exception {
        Map<String, String> env = Map.of("KITE_API_KEY", "abcd1234", "KITE_API_SECRET", "very-secret-value-0001",
                "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123", "KITE_ALLOWED_USER_IDS", "AB1234",
                "QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        Result result = start(env);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("KITE_REDIS_PREFIX must hold a hash tag on a Redis Cluster", "KITE_REDIS_PREFIX={kite}")
                .doesNotContain("\tat ");
    }

    @Test
    void wrongNotificationSettingsAreNamedWithoutEchoingAWebhookOrTheBotToken() throws Exception {
        Map<String, String> env = Map.of("KITE_API_KEY", "abcd1234", "KITE_API_SECRET", "very-secret-value-0001",
                "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123", "KITE_ALLOWED_USER_IDS", "AB1234",
                "KITE_NOTIFY_TELEGRAM_BOT_TOKEN", "123:bot-secret-value", "KITE_NOTIFY_WEBHOOK_URLS",
                "https://hooks.example.com/ok,hooks.example.com/T0/secret-path", "KITE_HOLIDAYS", "2026-01-26,26/01/2026",
                "KITE_TRADING_DAYS", "MON-FRY", "KITE_REMIND_AT", "09:30");
        Result result = start(env);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains(
                "KITE_NOTIFY_TELEGRAM_BOT_TOKEN and KITE_NOTIFY_TELEGRAM_CHAT_ID go together",
                "KITE_NOTIFY_WEBHOOK_URLS (entry 2) must be an absolute http(s) URL",
                "KITE_REMIND_AT must be before KITE_MARKET_OPEN",
                "KITE_TRADING_DAYS: 'FRY' is not a day")
                .doesNotContain("bot-secret-value", "secret-path", "\tat ");
    }

    @Test
    void anAsteriskLetsAnyKiteUserInAndSaysSoAtStartUp() throws Exception {
        Map<String, String> env = Map.of("KITE_API_KEY", "abcd1234", "KITE_API_SECRET", "very-secret-value-0001",
                "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123", "KITE_ALLOWED_USER_IDS", "*");
        Process process = launch(env);
        // Should the line never come, the output ends when this stops the service.
        java.util.concurrent.CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(process::destroyForcibly);
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String warning = lines.lines().filter(line -> line.contains("KITE_ALLOWED_USER_IDS")).findFirst().orElse("");
            assertThat(warning).contains("WARN", "any Zerodha user");
            assertThat(process.isAlive()).as("the service runs").isTrue();
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    /** Issue 21: a start that fails on a taken port ends on Quarkus' clear line: no stack trace, no errors after it. */
    @Test
    void aTakenPortIsNamedAndNothingFollowsIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Map<String, String> env = Map.of("KITE_API_KEY", "abcd1234", "KITE_API_SECRET", "very-secret-value-0001",
                    "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123", "KITE_ALLOWED_USER_IDS", "AB1234",
                    "QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            Result result = start(env);

            assertThat(result.exitCode()).isNotZero();
            List<String> lines = result.output().lines().filter(line -> !line.isBlank()).toList();
            int clear = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("Port " + taken.getLocalPort() + " seems to be in use")) {
                    clear = i;
                }
            }
            assertThat(clear).as("the line naming the port, in:%n%s", result.output()).isNotNegative();
            assertThat(lines.subList(clear + 1, lines.size())).as("after the line naming the port")
                    .allSatisfy(line -> assertThat(line).contains("\"level\":\"WARN\"", "io.quarkus.runtime.Application"));
            assertThat(result.output()).doesNotContain("ArC container not initialized", "\tat ", "\"exception\"");
        }
    }

    /** Issue 21: an empty QUARKUS_REDIS_HOSTS (an unfilled line of .env.example) is named, not taken for localhost. */
    @Test
    void aMissingRedisUrlIsNamed() throws Exception {
        Result result = start(Map.of("KITE_API_KEY", "abcd1234", "KITE_API_SECRET", "very-secret-value-0001",
                "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123", "KITE_ALLOWED_USER_IDS", "AB1234",
                "QUARKUS_REDIS_HOSTS", ""));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("QUARKUS_REDIS_HOSTS is required").doesNotContain("\tat ");
    }

    /** Issue 24: peers without their secret, a weak one, or a peer that is not a URL, are named at start-up. */
    @Test
    void peersNeedTheirSecretAndURLs() throws Exception {
        Map<String, String> base = Map.of("KITE_API_KEY", "abcd1234", "KITE_API_SECRET", "very-secret-value-0001",
                "KITE_READER_TOKENS", "reader-token-0123456789abcdef0123", "KITE_ALLOWED_USER_IDS", "AB1234");
        Map<String, String> noSecret = new java.util.HashMap<>(base);
        noSecret.put("KITE_PEERS", "http://kite-token-service-peers:9000,kite-b:9000");
        Result missing = start(noSecret);
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("KITE_PEER_SECRET is required with KITE_PEERS", "KITE_PEERS (kite-b:9000) must be an absolute http(s) URL")
                .doesNotContain("\tat ");

        Map<String, String> weak = new java.util.HashMap<>(base);
        weak.put("KITE_PEERS", "http://kite-token-service-peers:9000");
        weak.put("KITE_PEER_SECRET", "short-peer-secret");
        Result refused = start(weak);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("KITE_PEER_SECRET: every secret must be at least 32 characters")
                .doesNotContain("short-peer-secret", "\tat ");
    }

    /** The packaged service with only these variables, on ports of its own and with a Redis that never answers. */
    private static Process launch(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(PackagedApp.command()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("KITE_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", "0", "QUARKUS_MANAGEMENT_PORT", "0",
                "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:1"));
        // Cluster or not, a Redis that never answers: the configuration is checked before any Redis call.
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Result start(Map<String, String> env) throws IOException, InterruptedException {
        Process process = launch(env);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 60 s although its configuration is incomplete");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {
    }
}
