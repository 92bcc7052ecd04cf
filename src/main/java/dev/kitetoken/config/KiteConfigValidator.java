package dev.kitetoken.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.kitetoken.calendar.TradingCalendar;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Stops the start-up when the configuration cannot work. Quarkus prints the message of a
 * {@link ConfigurationException} as it is, without a stack trace, so each problem names the environment
 * variable to fix. Values are never echoed: some of them are secrets.
 */
@ApplicationScoped
public class KiteConfigValidator {

    private static final Pattern API_KEY = Pattern.compile("[A-Za-z0-9]{1,64}");
    static final int MIN_SECRET_LENGTH = 32;
    private static final Pattern CHECK_INTERVAL = Pattern.compile("off|[1-9][0-9]*[smhSMH]");
    private static final Pattern REDIS_PREFIX = Pattern.compile("[A-Za-z0-9_.\\-{}]{1,64}");
    /** Redis hashes only what is between the first '{' and the next '}', when that is not empty. */
    private static final Pattern HASH_TAG = Pattern.compile("^[^{]*\\{[^}]+}.*");

    private final KiteConfig config;
    private final String redisClientType;
    private final Optional<String> redisHosts;
    private final Optional<String> redisHostsProvider;

    KiteConfigValidator(KiteConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String redisClientType,
            @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            @ConfigProperty(name = "quarkus.redis.hosts-provider-name") Optional<String> redisHostsProvider) {
        this.config = config;
        this.redisClientType = redisClientType;
        this.redisHosts = redisHosts;
        this.redisHostsProvider = redisHostsProvider;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<String> problems = problems(LaunchMode.current());
        if (!problems.isEmpty()) {
            throw new ConfigurationException("kite-token-service cannot start: " + String.join("; ", problems));
        }
    }

    List<String> problems(LaunchMode mode) {
        List<String> problems = new ArrayList<>();
        Optional<String> apiKey = config.apiKey().map(String::strip).filter(s -> !s.isEmpty());
        if (apiKey.isEmpty()) {
            problems.add("KITE_API_KEY is required (the api_key of your Kite Connect app)");
        } else if (!API_KEY.matcher(apiKey.get()).matches()) {
            problems.add("KITE_API_KEY must be 1 to 64 letters and digits");
        }
        if (config.apiSecret().map(String::isBlank).orElse(true)) {
            problems.add("KITE_API_SECRET is required (the api_secret of your Kite Connect app)");
        }
        List<String> readers = config.readerTokens().orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
        if (readers.isEmpty() && mode != LaunchMode.DEVELOPMENT) {
            problems.add("KITE_READER_TOKENS is required (comma-separated bearer secrets allowed to read GET /token)");
        }
        if (mode == LaunchMode.NORMAL
                && config.allowedUserIds().orElse(List.of()).stream().allMatch(String::isBlank)) {
            problems.add("KITE_ALLOWED_USER_IDS is required: the Kite user_ids that may log in, comma-separated"
                    + " (or * to let any Zerodha user replace the token)");
        }
        if (redisHosts.filter(h -> !h.isBlank()).isEmpty() && redisHostsProvider.isEmpty()) {
            // Quarkus would quietly try localhost:6379, a Redis no production pod has.
            problems.add(mode == LaunchMode.DEVELOPMENT
                    ? "dev mode found no Redis: install redis-server (apt-get install redis-server), start one on localhost:6379,"
                            + " run a Docker engine, or set QUARKUS_REDIS_HOSTS"
                    : "QUARKUS_REDIS_HOSTS is required: redis://[user:password@]host:6379/0 (rediss:// for TLS)");
        }
        if (config.exchangesPerMinute() < 1) {
            problems.add("KITE_EXCHANGES_PER_MINUTE must be at least 1");
        }
        if (mode == LaunchMode.NORMAL) {
            checkStrength(problems, "KITE_READER_TOKENS", readers);
            checkStrength(problems, "KITE_ADMIN_TOKENS", config.adminTokens().orElse(List.of()));
        }
        List<String> peers = config.peers().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!peers.isEmpty()) {
            Optional<String> peerSecret = config.peerSecret().map(String::strip).filter(s -> !s.isEmpty());
            if (peerSecret.isEmpty()) {
                problems.add("KITE_PEER_SECRET is required with KITE_PEERS (the bearer secret replicas present to each other)");
            } else if (mode == LaunchMode.NORMAL) {
                checkStrength(problems, "KITE_PEER_SECRET", List.of(peerSecret.get()));
            }
            for (String peer : peers) {
                try {
                    checkHttpUrl(problems, "KITE_PEERS (" + peer + ")", URI.create(peer));
                } catch (IllegalArgumentException e) {
                    problems.add("KITE_PEERS (" + peer + ") must be an absolute http(s) URL");
                }
            }
        }
        if (config.peerTimeout().isNegative() || config.peerTimeout().isZero()) {
            problems.add("KITE_PEER_TIMEOUT must be positive, e.g. 1s");
        }
        checkHttpUrl(problems, "KITE_API_URL", config.apiUrl());
        checkHttpUrl(problems, "KITE_LOGIN_URL", config.loginUrl());
        checkHttpUrl(problems, "KITE_PUBLIC_URL", config.publicUrl());
        if (config.httpTimeout().isNegative() || config.httpTimeout().isZero()) {
            problems.add("KITE_HTTP_TIMEOUT must be positive, e.g. 7s");
        }
        if (!CHECK_INTERVAL.matcher(config.checkInterval().strip()).matches()) {
            problems.add("KITE_CHECK_INTERVAL must be off or a duration such as 30s, 5m or 1h");
        }
        if (!CHECK_INTERVAL.matcher(config.redisWatchInterval().strip()).matches()) {
            problems.add("KITE_REDIS_WATCH_INTERVAL must be off or a duration such as 1s or 5s");
        }
        if (!REDIS_PREFIX.matcher(config.redisPrefix()).matches()) {
            problems.add("KITE_REDIS_PREFIX must be 1 to 64 letters, digits, '_', '-', '.', '{' or '}'");
        } else if ("cluster".equalsIgnoreCase(redisClientType.strip()) && !HASH_TAG.matcher(config.redisPrefix()).matches()) {
            // Each script touches several keys, which a cluster only allows within one hash slot.
            problems.add("KITE_REDIS_PREFIX must hold a hash tag on a Redis Cluster, so that all keys of an api_key share one"
                    + " slot: set KITE_REDIS_PREFIX={kite} (QUARKUS_REDIS_CLIENT_TYPE=cluster)");
        }
        checkNotifications(problems);
        return problems;
    }

    private void checkNotifications(List<String> problems) {
        boolean botToken = config.notifyTelegramBotToken().filter(s -> !s.isBlank()).isPresent();
        boolean chatId = config.notifyTelegramChatId().filter(s -> !s.isBlank()).isPresent();
        if (botToken != chatId) {
            problems.add("KITE_NOTIFY_TELEGRAM_BOT_TOKEN and KITE_NOTIFY_TELEGRAM_CHAT_ID go together: set both, or neither");
        }
        checkHttpUrl(problems, "KITE_NOTIFY_TELEGRAM_API_URL", config.notifyTelegramApiUrl());
        List<String> webhooks = config.notifyWebhookUrls().orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
        for (int i = 0; i < webhooks.size(); i++) {
            // The URL itself is a secret (a Slack webhook's path is its key): only its position is named.
            try {
                checkHttpUrl(problems, "KITE_NOTIFY_WEBHOOK_URLS (entry " + (i + 1) + ")", new URI(webhooks.get(i).strip()));
            } catch (URISyntaxException e) {
                problems.add("KITE_NOTIFY_WEBHOOK_URLS (entry " + (i + 1) + ") must be an absolute http(s) URL");
            }
        }
        if (config.notifyRetryDelay().isNegative() || config.notifyRetryDelay().isZero()) {
            problems.add("KITE_NOTIFY_RETRY_DELAY must be positive, e.g. 2s");
        }
        if (config.remindEvery().isNegative() || config.remindEvery().isZero()) {
            problems.add("KITE_REMIND_EVERY must be positive, e.g. 15m");
        }
        if (!config.remindAt().isBefore(config.marketOpen())) {
            problems.add("KITE_REMIND_AT must be before KITE_MARKET_OPEN (reminders stop when the market opens)");
        }
        try {
            TradingCalendar.of(config.tradingDays(), config.holidays().orElse(List.of()), config.specialSessions().orElse(List.of()));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /** Bearer secrets guard a trading account: in production each must be long enough not to be guessed. */
    private static void checkStrength(List<String> problems, String variable, List<String> secrets) {
        if (secrets.stream().map(String::strip).anyMatch(secret -> secret.length() < MIN_SECRET_LENGTH)) {
            problems.add(variable + ": every secret must be at least " + MIN_SECRET_LENGTH
                    + " characters (e.g. openssl rand -base64 32)");
        }
    }

    private static void checkHttpUrl(List<String> problems, String variable, URI url) {
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            problems.add(variable + " must be an absolute http(s) URL");
        }
    }
}
