package dev.kitetoken.config;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the service, read from {@code KITE_*} environment variables. The required values are
 * optional here on purpose: {@link KiteConfigValidator} checks them at start-up so that a missing one stops
 * the service with one line naming the environment variable instead of a SmallRye property name.
 */
@ConfigMapping(prefix = "kite")
public interface KiteConfig {

    /** The KITE_ALLOWED_USER_IDS entry that lets any Zerodha user log in. */
    String ANY_USER = "*";

    /** KITE_API_KEY: the Kite Connect app's api_key. */
    Optional<String> apiKey();

    /** KITE_API_SECRET: never logged, never returned. */
    Optional<String> apiSecret();

    /** KITE_API_URL: base URL of Kite's REST API. */
    @WithDefault("https://api.kite.trade")
    URI apiUrl();

    /** KITE_LOGIN_URL: the page where a person logs in to Kite. */
    @WithDefault("https://kite.zerodha.com/connect/login")
    URI loginUrl();

    /** KITE_PUBLIC_URL: the URL at which browsers reach this service; the callback is {@code <public-url>/callback}. */
    @WithDefault("http://localhost:8080")
    URI publicUrl();

    /** KITE_HTTP_TIMEOUT: connect and read timeout of every call to Kite (the official SDKs use 7 s). */
    @WithDefault("7s")
    Duration httpTimeout();

    /** KITE_EXPIRY_TIME: the local time at which Kite flushes every access token. */
    @WithDefault("06:00")
    LocalTime expiryTime();

    /** KITE_EXPIRY_ZONE: the zone of {@link #expiryTime()}. */
    @WithDefault("Asia/Kolkata")
    ZoneId expiryZone();

    /** KITE_REQUIRE_STATE: refuse callbacks that do not carry a state issued by {@code /login}. */
    @WithDefault("true")
    boolean requireState();

    /** KITE_READER_TOKENS: bearer secrets allowed to read {@code GET /token}. */
    Optional<List<String>> readerTokens();

    /** KITE_ADMIN_TOKENS: bearer secrets allowed to log the session out ({@code DELETE /token}). */
    Optional<List<String>> adminTokens();

    /**
     * KITE_PEERS: the other replicas' management interfaces (base URLs, or one URL whose host is a headless
     * Service resolving to every pod), for logins this replica cannot write to Redis. Unset: no peers.
     */
    Optional<List<String>> peers();

    /** KITE_PEER_SECRET: the bearer secret replicas present to each other; required with KITE_PEERS. */
    Optional<String> peerSecret();

    /** KITE_PEER_TIMEOUT: how long one call to a peer may take. */
    @WithDefault("1s")
    Duration peerTimeout();

    /**
     * KITE_CHECK_INTERVAL: how often one replica asks Kite whether the token still works ({@code off} to
     * never ask). Read by the scheduler.
     */
    @WithDefault("5m")
    String checkInterval();

    /**
     * KITE_EVENTS_KEEP_ALIVE: how often {@code GET /token/events} sends a comment line while no event
     * comes, so that proxies and load balancers do not close a quiet stream as idle.
     */
    @WithDefault("15s")
    Duration eventsKeepAlive();

    /**
     * KITE_ALLOWED_USER_IDS: the Kite users who may log in; anyone else is logged out at once. Required in
     * production; {@code *} lets any Zerodha user in (and says so at start-up).
     */
    Optional<List<String>> allowedUserIds();

    /** KITE_EXCHANGES_PER_MINUTE: request_tokens one replica exchanges at Kite per minute; beyond it, 429. */
    @WithDefault("30")
    int exchangesPerMinute();

    /**
     * KITE_REDIS_WATCH_INTERVAL: how often each replica checks that Redis still holds its marker key, which
     * only a data loss removes (a node restarted empty, a failover that lost writes); {@code off} to never.
     * Read by the scheduler.
     */
    @WithDefault("1s")
    String redisWatchInterval();

    /** KITE_REDIS_PREFIX: prefix of every Redis key and channel. */
    @WithDefault("kite")
    String redisPrefix();

    /** KITE_NOTIFY_TELEGRAM_BOT_TOKEN: the Telegram bot that sends reminders and alerts (a secret). */
    Optional<String> notifyTelegramBotToken();

    /** KITE_NOTIFY_TELEGRAM_CHAT_ID: the chat, group or channel it writes to. */
    Optional<String> notifyTelegramChatId();

    /** KITE_NOTIFY_TELEGRAM_API_URL: the Bot API's base URL (a proxy, or a fake in tests). */
    @WithDefault("https://api.telegram.org")
    URI notifyTelegramApiUrl();

    /** KITE_NOTIFY_WEBHOOK_URLS: incoming webhooks (Slack, Mattermost, Google Chat, your own), comma-separated; secrets. */
    Optional<List<String>> notifyWebhookUrls();

    /** KITE_NOTIFY_WEBHOOK_SECRET: when set, each webhook POST carries {@code X-Kite-Signature: sha256=<HMAC of the body>}. */
    Optional<String> notifyWebhookSecret();

    /** KITE_NOTIFY_ON_LOGIN: also send a short confirmation after each login. */
    @WithDefault("false")
    boolean notifyOnLogin();

    /** KITE_NOTIFY_RETRY_DELAY: the first wait before a failed delivery is tried again; it doubles up to a minute, for 5 minutes. */
    @WithDefault("2s")
    Duration notifyRetryDelay();

    /** KITE_REMIND_AT: on a trading day without a session, the first reminder (in KITE_EXPIRY_ZONE). */
    @WithDefault("08:30")
    LocalTime remindAt();

    /** KITE_REMIND_EVERY: the reminder repeats this often until a login or the market opens. */
    @WithDefault("15m")
    Duration remindEvery();

    /** KITE_MARKET_OPEN: when the market opens (in KITE_EXPIRY_ZONE); no reminder from then on. */
    @WithDefault("09:15")
    LocalTime marketOpen();

    /** KITE_TRADING_DAYS: the weekdays the exchanges trade, e.g. {@code MON-FRI} or {@code MON-THU,SAT}. */
    @WithDefault("MON-FRI")
    String tradingDays();

    /** KITE_HOLIDAYS: trading days the exchanges are closed: ISO dates, comma-separated, or a file with one a line. */
    Optional<List<String>> holidays();

    /** KITE_SPECIAL_SESSIONS: other days the exchanges open (Muhurat trading on a weekend), as KITE_HOLIDAYS. */
    Optional<List<String>> specialSessions();

    /** The api_key, once {@link KiteConfigValidator} has made sure it is there. */
    default String requiredApiKey() {
        return apiKey().orElseThrow();
    }

    /** The api_secret, once {@link KiteConfigValidator} has made sure it is there. */
    default String requiredApiSecret() {
        return apiSecret().orElseThrow();
    }

    /** Whether this Kite user may log in: listed, or the list is {@code *}, or (dev and test only) unset. */
    default boolean allowsUser(String userId) {
        return allowsAnyUser() || allowedUserIds().map(ids -> ids.stream().map(String::strip).anyMatch(userId::equals)).orElse(true);
    }

    /** KITE_ALLOWED_USER_IDS says {@code *}: any Zerodha user may log in. */
    default boolean allowsAnyUser() {
        return allowedUserIds().map(ids -> ids.stream().map(String::strip).anyMatch(ANY_USER::equals)).orElse(false);
    }

    default URI callbackUrl() {
        return URI.create(stripTrailingSlash(publicUrl().toString()) + "/callback");
    }

    default URI loginPageUrl() {
        return URI.create(stripTrailingSlash(publicUrl().toString()) + "/login");
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
