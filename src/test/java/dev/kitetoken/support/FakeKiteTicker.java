package dev.kitetoken.support;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.json.JSONArray;
import org.json.JSONObject;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

/**
 * Kite's ticker as ../shared/kite-api.md section 8 describes it: a WebSocket at {@code /?api_key=&access_token=}
 * that accepts only the token the fake Kite holds live (403 at the upgrade otherwise), records the subscribe and
 * mode messages, answers each with the instruments' ticks at once, and every 100 ms sends each open connection a binary frame of packed ticks (8, 44 or 184 bytes per
 * instrument by its mode) that the official SDK's parser turns into {@code Tick}s. Each connection's ticks carry its
 * serial number as their last price, so a test can tell which connection a tick came from.
 */
public final class FakeKiteTicker implements AutoCloseable {

    /** One accepted WebSocket. */
    public static final class Connection {
        private final int serial;
        private final String accessToken;
        private final ServerWebSocket socket;
        private final Map<Long, String> modes = new ConcurrentHashMap<>();
        private final List<String> messages = new CopyOnWriteArrayList<>();
        private volatile boolean open = true;
        private final AtomicInteger framesSent = new AtomicInteger();

        private Connection(int serial, String accessToken, ServerWebSocket socket) {
            this.serial = serial;
            this.accessToken = accessToken;
            this.socket = socket;
        }

        public int serial() {
            return serial;
        }

        public String accessToken() {
            return accessToken;
        }

        public boolean isOpen() {
            return open;
        }

        /** Subscribed instruments and their modes. */
        public Map<Long, String> modes() {
            return Map.copyOf(modes);
        }

        public List<String> messages() {
            return List.copyOf(messages);
        }

        public int framesSent() {
            return framesSent.get();
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final FakeKiteServer kite;
    private final String apiKey;
    private final HttpServer server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger serials = new AtomicInteger();
    private volatile boolean dropDeadTokens;

    private FakeKiteTicker(FakeKiteServer kite, String apiKey) throws Exception {
        this.kite = kite;
        this.apiKey = apiKey;
        this.server = vertx.createHttpServer().requestHandler(this::upgrade).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.setPeriodic(100, id -> tick());
    }

    public static FakeKiteTicker start(FakeKiteServer kite, String apiKey) {
        try {
            return new FakeKiteTicker(kite, apiKey);
        } catch (Exception e) {
            throw new IllegalStateException("the fake ticker did not start", e);
        }
    }

    /** The address in the official SDK's own form (its Routes' wsuri), for {@link OfficialKiteSdk#tickerAt}. */
    public String sdkAddress() {
        return "ws://127.0.0.1:" + server.actualPort() + "/?access_token=:access_token&api_key=:api_key";
    }

    /** Closes connections whose token Kite no longer accepts (as after a logout everywhere), within 100 ms. */
    public void dropConnectionsOfDeadTokens(boolean drop) {
        this.dropDeadTokens = drop;
    }

    /** Closes every open connection abruptly, as a network blip would. */
    public void dropAll() {
        connections.stream().filter(Connection::isOpen).forEach(c -> vertx.runOnContext(ignored -> c.socket.close((short) 1011)));
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    public List<Connection> open() {
        return connections.stream().filter(Connection::isOpen).toList();
    }

    /** The most connections that were open at once since the start. */
    public int mostOpenAtOnce() {
        return mostOpen.get();
    }

    /** Upgrades refused with 403. */
    public int refusals() {
        return refusals.get();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void upgrade(HttpServerRequest request) {
        String token = request.getParam("access_token");
        String live = kite.currentAccessToken();
        if (!apiKey.equals(request.getParam("api_key")) || token == null || !token.equals(live)) {
            refusals.incrementAndGet();
            request.response().setStatusCode(403).putHeader("Content-Type", "text/plain").end("invalid token");
            return;
        }
        request.toWebSocket().onSuccess(socket -> {
            Connection connection = new Connection(serials.incrementAndGet(), token, socket);
            connections.add(connection);
            mostOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
            socket.textMessageHandler(text -> receive(connection, text));
            socket.closeHandler(ignored -> {
                connection.open = false;
                openNow.decrementAndGet();
            });
        });
    }

    /** Kite answers a subscription with the instruments' current ticks at once, then streams. */
    private static void receive(Connection connection, String text) {
        record(connection, text);
        Map<Long, String> modes = Map.copyOf(connection.modes);
        if (!modes.isEmpty()) {
            connection.socket.writeBinaryMessage(Buffer.buffer(packets(modes, connection.serial)));
            connection.framesSent.incrementAndGet();
        }
    }

    private static void record(Connection connection, String text) {
        connection.messages.add(text);
        JSONObject message = new JSONObject(text);
        JSONArray values = message.getJSONArray("v");
        switch (message.getString("a")) {
            case "subscribe" -> values.forEach(token -> connection.modes.put(((Number) token).longValue(), "quote"));
            case "unsubscribe" -> values.forEach(token -> connection.modes.remove(((Number) token).longValue()));
            case "mode" -> {
                String mode = values.getString(0);
                values.getJSONArray(1).forEach(token -> connection.modes.computeIfPresent(((Number) token).longValue(), (t, m) -> mode));
            }
            default -> {
            }
        }
    }

    private void tick() {
        String live = kite.currentAccessToken();
        for (Connection connection : connections) {
            if (!connection.open) {
                continue;
            }
            if (dropDeadTokens && !connection.accessToken.equals(live)) {
                connection.socket.close((short) 1000);
                continue;
            }
            Map<Long, String> modes = Map.copyOf(connection.modes);
            if (!modes.isEmpty()) {
                connection.socket.writeBinaryMessage(Buffer.buffer(packets(modes, connection.serial)));
                connection.framesSent.incrementAndGet();
            }
        }
    }

    /** A frame as Kite packs it: a 2-byte count, then per instrument a 2-byte length and the packet, big-endian. */
    static byte[] packets(Map<Long, String> modes, int serial) {
        List<byte[]> packets = new ArrayList<>();
        modes.forEach((token, mode) -> packets.add(packet(token, mode, serial * 100)));
        int size = 2 + packets.stream().mapToInt(p -> 2 + p.length).sum();
        ByteBuffer frame = ByteBuffer.allocate(size);
        frame.putShort((short) packets.size());
        for (byte[] packet : packets) {
            frame.putShort((short) packet.length);
            frame.put(packet);
        }
        return frame.array();
    }

    /** ltp: token and last price; quote: 11 ints; full: the quote, five more ints and 10 depth entries (zeros). */
    private static byte[] packet(long token, String mode, int lastPricePaise) {
        int length = switch (mode) {
            case "ltp" -> 8;
            case "full" -> 184;
            default -> 44;
        };
        ByteBuffer packet = ByteBuffer.allocate(length);
        packet.putInt((int) token);
        packet.putInt(lastPricePaise);
        return packet.array();
    }
}
