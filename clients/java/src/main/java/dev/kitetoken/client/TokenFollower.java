package dev.kitetoken.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.json.JSONObject;

/**
 * Follows kite-token-service's current token: one thread that reads {@code GET /token} on every (re)connection and
 * then long-polls it ({@code If-None-Match} + {@code wait}), so a change arrives within milliseconds and a lost push
 * is caught by the next read. Listeners hear every real change once. While the service cannot be reached the last
 * token is kept until its {@code expires_at}; a refused reader secret stops the follower with a message that says so.
 * Thread-safe; {@link #close()} stops every thread it started.
 */
public final class TokenFollower implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TokenFollower.class.getName());
    /** A long-poll answered sooner than this without a change is followed by a pause: never a hot loop. */
    private static final Duration MIN_POLL = Duration.ofSeconds(1);
    /** How much longer than its wait a long-poll may take to answer; a plain read gets this alone. */
    private static final Duration READ_MARGIN = Duration.ofSeconds(10);
    private static final Duration PLAIN_READ = Duration.ofSeconds(5);

    private final URI tokenUri;
    private final URI invalidateUri;
    private final String authorization;
    private final Duration wait;
    private final Duration connectTimeout;
    private final Backoff backoff;
    private final Clock clock;

    private final AtomicReference<KiteToken> current = new AtomicReference<>();
    private final List<TokenListener> listeners = new CopyOnWriteArrayList<>();
    /** Held while the current token changes and while a listener is added, so every listener sees every change in order. */
    private final Object changes = new Object();
    private final Set<HttpURLConnection> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, CompletableFuture<Invalidation>> reports = new ConcurrentHashMap<>();
    private final ExecutorService reporter;
    private final Thread thread;
    private volatile boolean closed;
    private volatile String refused;

    private TokenFollower(Builder builder) {
        String base = builder.serviceUrl.toString().replaceAll("/+$", "");
        this.tokenUri = URI.create(base + "/token");
        this.invalidateUri = URI.create(base + "/token/invalidate");
        this.authorization = "Bearer " + builder.readerSecret;
        this.wait = builder.wait;
        this.connectTimeout = builder.connectTimeout;
        this.backoff = builder.backoff;
        this.clock = builder.clock;
        // Reports go out on a thread of their own (a caller may report from a thread that must not block), which
        // ends when idle.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> daemon(task, "kite-token-report"));
        pool.allowCoreThreadTimeOut(true);
        this.reporter = pool;
        this.thread = daemon(this::follow, "kite-token-follower");
    }

    /** Starts following at {@code serviceUrl} (the service port, e.g. {@code http://kite-token-service:8080}). */
    public static TokenFollower start(URI serviceUrl, String readerSecret) {
        return builder(serviceUrl, readerSecret).start();
    }

    public static Builder builder(URI serviceUrl, String readerSecret) {
        return new Builder(serviceUrl, readerSecret);
    }

    /** The current token, or none; never one past its {@code expires_at}. */
    public Optional<KiteToken> current() {
        KiteToken token = current.get();
        return token == null || token.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(token);
    }

    /** Why the follower stopped (the service refused its reader secret), if it did. */
    public Optional<String> refused() {
        return Optional.ofNullable(refused);
    }

    /** Adds a listener and tells it the current token at once if there is one; from then on, every change. */
    public void addListener(TokenListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (changes) {
            listeners.add(listener);
            Optional<KiteToken> now = current();
            if (now.isPresent()) {
                tell(listener, now);
            }
        }
    }

    public void removeListener(TokenListener listener) {
        listeners.remove(listener);
    }

    /** Waits until there is a token, at most {@code timeout}. */
    public Optional<KiteToken> awaitToken(Duration timeout) throws InterruptedException {
        return awaitNext(null, timeout);
    }

    /**
     * Waits, at most {@code timeout}, for a token other than the one with {@code tokenId} (any token when null).
     *
     * @throws ServiceRefusedException when the service refused the reader secret: no token will come
     */
    public Optional<KiteToken> awaitNext(String tokenId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (true) {
                Optional<KiteToken> now = current();
                if (now.isPresent() && !now.get().tokenId().equals(tokenId)) {
                    return now;
                }
                if (refused != null) {
                    throw new ServiceRefusedException(refused);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(changes, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        }
    }

    /**
     * Reports a token that Kite refused ({@code POST /token/invalidate}); the service ends it only if Kite confirms
     * it is dead. Reports of one token while one is under way share it. Never blocks the caller.
     */
    public CompletableFuture<Invalidation> reportDead(KiteToken token) {
        Objects.requireNonNull(token, "token");
        return reports.computeIfAbsent(token.tokenId(), id -> {
            CompletableFuture<Invalidation> report = CompletableFuture.supplyAsync(() -> invalidate(id), reporter);
            report.whenComplete((result, failure) -> reports.remove(id));
            return report;
        });
    }

    /**
     * Reports the token and waits, at most {@code timeout}, for the next one. When the service answers that Kite
     * still accepts it, that token is the answer: the refusal had another cause.
     */
    public Optional<KiteToken> reportDeadAndAwaitNext(KiteToken token, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Invalidation result = reportDead(token).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!result.invalidated() && token.tokenId().equals(result.currentTokenId())) {
                LOG.log(System.Logger.Level.WARNING, "Reported token_id {0}; the service says Kite still accepts it ({1})",
                        token.tokenId(), result.detail());
                return current().filter(now -> now.tokenId().equals(token.tokenId())).or(this::current);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not report token_id {0}: {1}; waiting for the next token anyway",
                    token.tokenId(), describe(e.getCause() == null ? e : e.getCause()));
        }
        return awaitNext(token.tokenId(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Stops following; every thread it started ends. */
    @Override
    public void close() {
        closed = true;
        inFlight.forEach(HttpURLConnection::disconnect);
        thread.interrupt();
        reporter.shutdownNow();
        synchronized (changes) {
            changes.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            reporter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() {
        int failures = 0;
        boolean reread = true;
        while (!closed) {
            expireIfDue();
            KiteToken have = current().orElse(null);
            long started = System.nanoTime();
            try {
                // On every (re)connection the current token first, with no wait: a change pushed while this
                // follower was away is caught here, never left to a push that will not come again.
                Answer answer = reread ? get(null, Duration.ZERO) : get(have == null ? null : have.tokenId(), wait);
                switch (answer.status()) {
                    case 200 -> change(KiteToken.fromJson(answer.body()), null);
                    case 304 -> {
                    }
                    case 404 -> change(null, "the service has no token (no login since the cutoff, or it was logged out or invalidated)");
                    case 401, 403 -> {
                        stop(answer);
                        return;
                    }
                    default -> throw new IOException("the service answered " + answer.status());
                }
                if (failures > 0) {
                    LOG.log(System.Logger.Level.INFO, "kite-token-service reached again after {0} failed attempt(s)", failures);
                }
                failures = 0;
                boolean quick = !reread && answer.status() != 200 && System.nanoTime() - started < MIN_POLL.toNanos();
                reread = false;
                if (quick) {
                    pause(MIN_POLL); // a proxy that answers long-polls at once must not make a hot loop
                }
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                failures++;
                reread = true;
                if (failures == 1 || failures % 10 == 0) {
                    LOG.log(System.Logger.Level.WARNING, "kite-token-service unreachable ({0}, attempt {1}); {2}", describe(e), failures,
                            have == null ? "no token to keep" : "keeping token_id " + have.tokenId() + " until " + have.expiresAt());
                }
                pause(backoff.after(failures));
            }
        }
    }

    /** Sleeps, but not past the current token's expiry, which must be reported when it comes. */
    private void pause(Duration pause) {
        KiteToken have = current.get();
        long millis = pause.toMillis();
        if (have != null) {
            millis = Math.min(millis, Math.max(1, Duration.between(clock.instant(), have.expiresAt()).toMillis()));
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            if (!closed) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void expireIfDue() {
        KiteToken have = current.get();
        if (have != null && have.isExpiredAt(clock.instant())) {
            change(null, "token_id " + have.tokenId() + " reached its expires_at");
        }
    }

    private void change(KiteToken next, String why) {
        synchronized (changes) {
            KiteToken before = current.get();
            if (Objects.equals(before == null ? null : before.tokenId(), next == null ? null : next.tokenId())) {
                return;
            }
            current.set(next);
            if (next != null) {
                LOG.log(System.Logger.Level.INFO, "Token is now token_id {0} (user {1}, until {2})", next.tokenId(), next.userId(), next.expiresAt());
            } else {
                LOG.log(System.Logger.Level.INFO, "No token: {0}", why);
            }
            Optional<KiteToken> now = Optional.ofNullable(next);
            for (TokenListener listener : listeners) {
                tell(listener, now);
            }
            changes.notifyAll();
        }
    }

    private static void tell(TokenListener listener, Optional<KiteToken> token) {
        try {
            listener.tokenChanged(token);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "A token listener failed: " + describe(e), e);
        }
    }

    private void stop(Answer answer) {
        String detail = answer.problemDetail();
        refused = (answer.status() == 401
                ? "kite-token-service refused this reader secret (401): give the client one of the service's KITE_READER_TOKENS"
                : "kite-token-service refused this client (403): it has no reader secrets configured (KITE_READER_TOKENS)")
                + (detail == null ? "" : ". The service says: " + detail);
        LOG.log(System.Logger.Level.ERROR, refused + ". Following stopped.");
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    private Invalidation invalidate(String tokenId) {
        try {
            Answer answer = send("POST", invalidateUri, null, Duration.ofSeconds(20), new JSONObject().put("token_id", tokenId).toString());
            if (answer.status() != 200) {
                throw new IOException("the service answered " + answer.status() + (answer.problemDetail() == null ? "" : ": " + answer.problemDetail()));
            }
            Invalidation result = Invalidation.fromJson(answer.body());
            LOG.log(System.Logger.Level.INFO, "Reported token_id {0}: {1}", tokenId,
                    result.invalidated() ? "invalidated" : "not invalidated (" + result.detail() + ")");
            return result;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Answer get(String ifNoneMatch, Duration waitFor) throws IOException {
        URI uri = waitFor.isZero() ? tokenUri : URI.create(tokenUri + "?wait=" + waitFor.toSeconds());
        // A proxy that accepted the connection but has no server behind it must not hold a plain read for long.
        Duration read = waitFor.isZero() ? PLAIN_READ : waitFor.plus(READ_MARGIN);
        KiteToken have = current.get();
        if (have != null) {
            // Woken at the token's expiry even if the connection went silent: the token must not outlive it here.
            Duration untilExpiry = Duration.between(clock.instant(), have.expiresAt());
            read = untilExpiry.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : untilExpiry.compareTo(read) < 0 ? untilExpiry : read;
        }
        return send("GET", uri, ifNoneMatch, read, null);
    }

    private Answer send(String method, URI uri, String ifNoneMatch, Duration readTimeout, String json) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        inFlight.add(connection);
        try {
            if (closed) {
                throw new IOException("closed");
            }
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) Math.max(1, readTimeout.toMillis()));
            connection.setUseCaches(false);
            connection.setRequestProperty("Authorization", authorization);
            connection.setRequestProperty("Accept", "application/json");
            // One connection per read: no keep-alive cache, so no JDK thread outlives close(). A long-poll lasts
            // about a minute, so this costs one TCP handshake a minute.
            connection.setRequestProperty("Connection", "close");
            if (ifNoneMatch != null) {
                connection.setRequestProperty("If-None-Match", "\"" + ifNoneMatch + "\"");
            }
            if (json != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream body = connection.getOutputStream()) {
                    body.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = stream == null ? "" : new String(readAll(stream), StandardCharsets.UTF_8);
            return new Answer(status, body);
        } finally {
            inFlight.remove(connection);
            connection.disconnect();
        }
    }

    private static byte[] readAll(InputStream stream) throws IOException {
        try (stream) {
            return stream.readAllBytes();
        }
    }

    /** An exception in a few words: its type and message, never a URL's query or a body (they may hold a secret). */
    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e instanceof IOException && e.getMessage() != null && !e.getMessage().contains("?")
                ? ": " + e.getMessage()
                : "");
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private record Answer(int status, String body) {

        /** The problem JSON's detail of an error answer, which the service writes for people (and with no secret). */
        String problemDetail() {
            try {
                return new JSONObject(body).optString("detail", null);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** Settings with defaults that suit a trading pod beside the service in the same cluster. */
    public static final class Builder {

        private final URI serviceUrl;
        private final String readerSecret;
        private Duration wait = Duration.ofSeconds(50);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
        private Clock clock = Clock.systemUTC();

        private Builder(URI serviceUrl, String readerSecret) {
            Objects.requireNonNull(serviceUrl, "serviceUrl");
            if (!"http".equals(serviceUrl.getScheme()) && !"https".equals(serviceUrl.getScheme())) {
                throw new IllegalArgumentException("the service URL must be http:// or https://, e.g. http://kite-token-service:8080");
            }
            if (readerSecret == null || readerSecret.isBlank()) {
                throw new IllegalArgumentException("a reader secret (one of the service's KITE_READER_TOKENS) is required");
            }
            this.serviceUrl = serviceUrl;
            this.readerSecret = readerSecret.strip();
        }

        /** How long each long-poll is held by the service (1 to 60 s; keep it under any proxy's idle timeout). */
        public Builder longPollWait(Duration wait) {
            if (wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("the long-poll wait must be 1 to 60 seconds, got " + wait);
            }
            this.wait = wait;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** The pauses between attempts while the service cannot be reached. */
        public Builder backoff(Duration first, Duration max) {
            this.backoff = new Backoff(first, max);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TokenFollower start() {
            TokenFollower follower = new TokenFollower(this);
            follower.thread.start();
            return follower;
        }
    }
}
