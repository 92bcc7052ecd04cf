package dev.kitetoken.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Where notifications land in the tests, on loopback: Telegram's Bot API {@code sendMessage} (checks the bot
 * token in the path and the chat_id, answers as Telegram does) or an incoming webhook (any path, 200). Keeps
 * every delivered message, and can refuse the next ones with a status, to test retries.
 */
public final class FakeChatServer implements AutoCloseable {

    /** One request as it arrived: the raw body, to check a signature over exactly those bytes. */
    public record Received(String path, String signature, String contentType, byte[] rawBody, Instant arrivedAt) {
        public String body() {
            return new String(rawBody, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(rawBody);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body(), e);
            }
        }

        /** The message people read: Telegram's and a webhook's {@code text}. */
        public String text() {
            return json().path("text").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String botToken;
    private final String chatId;
    private final List<Received> delivered = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failWith = 503;

    private FakeChatServer(String botToken, String chatId) {
        this.botToken = botToken;
        this.chatId = chatId;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Telegram's Bot API for this bot and chat: {@code <url>/bot<token>/sendMessage}. */
    public static FakeChatServer telegram(String botToken, String chatId) {
        SecretLedger.record(botToken);
        return new FakeChatServer(botToken, chatId);
    }

    /** An incoming webhook at {@code <url>/hooks/<path>}. */
    public static FakeChatServer webhook() {
        return new FakeChatServer(null, null);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The messages delivered (answered 2xx), in order. */
    public synchronized List<Received> delivered() {
        return List.copyOf(delivered);
    }

    /** Every POST, refused ones included. */
    public int attempts() {
        return attempts.get();
    }

    /** The next {@code count} POSTs are answered with {@code status}. */
    public void failNext(int count, int status) {
        failWith = status;
        failuresLeft.set(count);
    }

    public synchronized void clear() {
        delivered.clear();
        attempts.set(0);
        failuresLeft.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath();
        Received received = new Received(path, exchange.getRequestHeaders().getFirst("X-Kite-Signature"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body, Instant.now());
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{}");
            return;
        }
        attempts.incrementAndGet();
        if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            answer(exchange, failWith, "{\"ok\":false,\"error_code\":" + failWith + ",\"description\":\"failing on purpose\"}");
            return;
        }
        if (botToken != null) {
            if (!path.equals("/bot" + botToken + "/sendMessage")) {
                answer(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
                return;
            }
            if (!chatId.equals(received.json().path("chat_id").asText()) || received.text().isEmpty()) {
                answer(exchange, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");
                return;
            }
        }
        synchronized (this) {
            delivered.add(received);
        }
        answer(exchange, 200, botToken == null ? "ok" : JSON.writeValueAsString(Map.of("ok", true,
                "result", Map.of("message_id", delivered.size(), "text", received.text()))));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
