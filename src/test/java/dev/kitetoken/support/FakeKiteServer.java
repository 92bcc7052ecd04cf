package dev.kitetoken.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.kitetoken.simulator.KiteSimulator;

/**
 * Kite over real HTTP for the tests: the behaviour of {@link KiteSimulator} (checksum, single-use
 * request_tokens, one token per app) plus the faults a real Kite shows — hangs, 5xx, 429, HTML and broken
 * bodies — switched on per test. Every secret it hands out or receives is written to {@link SecretLedger}
 * so the leak test can look for it in logs and responses.
 * <p>
 * Over 200 lines: one fault switch per way Kite fails, each a few lines around the shared HTTP plumbing.
 */
public final class FakeKiteServer {

    /** What {@code POST /session/token} does instead of answering normally. */
    public enum Fault {
        NONE, HANG, SERVER_ERROR, RATE_LIMITED, HTML_BODY, MALFORMED_JSON, NOT_A_SESSION, CLOSE_CONNECTION
    }

    static {
        // The JDK server writes headers and body separately; with Nagle on, the second write waits for the
        // client's delayed ACK, ~40 ms on every Kite call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    private final int port;
    private volatile HttpServer server;
    private volatile boolean refusing;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String apiKey;
    private final String apiSecret;
    private volatile KiteSimulator simulator;
    private volatile URI redirectUrl;
    private volatile Fault fault = Fault.NONE;
    private volatile Duration exchangeDelay = Duration.ZERO;
    private volatile CountDownLatch hang = new CountDownLatch(1);
    private final AtomicInteger sessionCalls = new AtomicInteger();
    private final AtomicInteger profileCalls = new AtomicInteger();
    private volatile boolean profileFails;

    public FakeKiteServer(String apiKey, String apiSecret, URI redirectUrl) {
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.redirectUrl = redirectUrl;
        this.simulator = new KiteSimulator(apiKey, apiSecret, Clock.systemUTC());
        SecretLedger.record(apiSecret);
        server = listen(0);
        port = server.getAddress().getPort();
    }

    private HttpServer listen(int onPort) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 200);
            http.setExecutor(executor);
            http.createContext("/", this::handle);
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Kite's host is up but nothing listens: every connection is refused until {@link #reset()}. */
    public synchronized void refuseConnections() {
        if (!refusing) {
            refusing = true;
            server.stop(0);
        }
    }

    /** Listens again after {@link #refuseConnections()}, keeping the session Kite has. */
    public synchronized void acceptConnections() {
        if (refusing) {
            server = listen(port);
            refusing = false;
        }
    }

    public void stop() {
        hang.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** Back to a well-behaved Kite with the right secret and no session. */
    public void reset() {
        fault = Fault.NONE;
        exchangeDelay = Duration.ZERO;
        sessionCalls.set(0);
        profileCalls.set(0);
        profileFails = false;
        hang.countDown();
        hang = new CountDownLatch(1);
        simulator = new KiteSimulator(apiKey, apiSecret, Clock.systemUTC());
        synchronized (this) {
            if (refusing) {
                server = listen(port);
                refusing = false;
            }
        }
    }

    public void fault(Fault fault) {
        this.fault = fault;
    }

    /** Ends a {@link Fault#HANG}: exchanges held so far are released (their callers have timed out) and new ones answer. */
    public void stopHanging() {
        fault = Fault.NONE;
        CountDownLatch held = hang;
        hang = new CountDownLatch(1);
        held.countDown();
    }

    public void exchangeDelay(Duration delay) {
        this.exchangeDelay = delay;
    }

    /** Kite now knows the app by another api_secret, so the service's checksum no longer matches. */
    public void changeApiSecret(String otherSecret) {
        SecretLedger.record(otherSecret);
        simulator = new KiteSimulator(apiKey, otherSecret, Clock.systemUTC());
    }

    /** How many times {@code POST /session/token} was called since the last {@link #reset()}. */
    public int sessionCalls() {
        return sessionCalls.get();
    }

    /** How many times {@code GET /user/profile} was called since the last {@link #reset()}. */
    public int profileCalls() {
        return profileCalls.get();
    }

    /** {@code GET /user/profile} answers 503 from now on: Kite is down, which says nothing about the token. */
    public void profileFails(boolean fails) {
        this.profileFails = fails;
    }

    /** The person logged out everywhere (a master logout on Kite web): the app's token stops working. */
    public void killSession() {
        String token = simulator.accessToken();
        if (token != null) {
            simulator.deleteSession(KiteSimulator.API_VERSION, apiKey, token);
        }
    }

    /** The next "Log in" on Kite's page is by this Zerodha client (any of them can authorise the app). */
    public void nextLoginBy(String userId, String userName) {
        simulator.nextLoginBy(new KiteSimulator.User(userId, userName));
    }

    /** The token Kite currently considers valid for the app, or null. */
    public String currentAccessToken() {
        return simulator.accessToken();
    }

    /** What the browser is redirected to after pressing "Log in" on Kite's page for the given redirect_params. */
    public URI approve(String redirectParams) {
        URI callback = simulator.approve(redirectUrl, redirectParams);
        recordRequestToken(callback);
        return callback;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (method + " " + path) {
                case "GET /connect/login" -> send(exchange, 200, "text/html; charset=utf-8",
                        simulator.loginPage(query.get("api_key"), query.get("redirect_params"), "/connect/approve", "/connect/cancel"));
                // The login page links its own stylesheet and a browser asks for an icon: a browser test would
                // count a 404 for either as a console error.
                case "GET /style.css" -> send(exchange, 200, "text/css; charset=utf-8", "body { font-family: sans-serif; }");
                case "GET /favicon.ico" -> {
                    exchange.sendResponseHeaders(204, -1);
                }
                case "POST /connect/approve" -> redirect(exchange, approve(parse(body).get("redirect_params")));
                case "POST /connect/cancel" -> redirect(exchange, simulator.cancel(redirectUrl));
                case "POST /session/token" -> createSession(exchange, body);
                case "GET /user/profile" -> profile(exchange);
                case "DELETE /session/token" -> reply(exchange, simulator.deleteSession(version(exchange), query.get("api_key"), query.get("access_token")));
                default -> send(exchange, 404, "application/json",
                        "{\"status\":\"error\",\"message\":\"Route not found\",\"data\":null,\"error_type\":\"GeneralException\"}");
            }
        }
    }

    private void createSession(HttpExchange exchange, String body) throws IOException {
        sessionCalls.incrementAndGet();
        String checksum = parse(body).get("checksum");
        if (checksum != null) {
            SecretLedger.record(checksum);
        }
        sleep(exchangeDelay);
        switch (fault) {
            case HANG -> {
                awaitQuietly(hang);
                return;
            }
            case SERVER_ERROR -> send(exchange, 503, "application/json",
                    "{\"status\":\"error\",\"message\":\"Service unavailable\",\"data\":null,\"error_type\":\"NetworkException\"}");
            case RATE_LIMITED -> send(exchange, 429, "application/json",
                    "{\"status\":\"error\",\"message\":\"Too many requests\",\"data\":null,\"error_type\":\"NetworkException\"}");
            case HTML_BODY -> send(exchange, 200, "text/html", "<html><body>Gateway says hello</body></html>");
            case MALFORMED_JSON -> send(exchange, 200, "application/json", "{\"status\":\"success\",\"data\":{\"access_tok");
            case NOT_A_SESSION -> send(exchange, 200, "application/json", "{\"status\":\"success\",\"data\":{\"user_id\":\"AB1234\"}}");
            case CLOSE_CONNECTION -> {
                exchange.sendResponseHeaders(200, 1000);
                exchange.getResponseBody().write("{\"status\":".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                // Closing short of the announced length leaves the client with a truncated body.
            }
            case NONE -> {
                KiteSimulator.Reply reply = simulator.createSession(version(exchange), exchange.getRequestHeaders().getFirst("Content-Type"), body);
                Matcher token = ACCESS_TOKEN.matcher(reply.json());
                if (token.find()) {
                    SecretLedger.record(token.group(1));
                }
                reply(exchange, reply);
            }
        }
    }

    private void profile(HttpExchange exchange) throws IOException {
        profileCalls.incrementAndGet();
        if (profileFails) {
            send(exchange, 503, "application/json",
                    "{\"status\":\"error\",\"message\":\"Service unavailable\",\"data\":null,\"error_type\":\"NetworkException\"}");
            return;
        }
        reply(exchange, simulator.profile(version(exchange), exchange.getRequestHeaders().getFirst("Authorization")));
    }

    private static String version(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("X-Kite-Version");
    }

    private static void recordRequestToken(URI callback) {
        String requestToken = parse(callback.getRawQuery()).get("request_token");
        if (requestToken != null) {
            SecretLedger.record(requestToken);
        }
    }

    private static void reply(HttpExchange exchange, KiteSimulator.Reply reply) throws IOException {
        send(exchange, reply.status(), "application/json", reply.json());
    }

    private static void redirect(HttpExchange exchange, URI location) throws IOException {
        exchange.getResponseHeaders().add("Location", location.toString());
        exchange.sendResponseHeaders(302, -1);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> parse(String encoded) {
        return KiteSimulator.parseForm(encoded);
    }

    private static void sleep(Duration duration) {
        if (!duration.isZero()) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
