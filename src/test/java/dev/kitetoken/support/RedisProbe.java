package dev.kitetoken.support;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A plain Vert.x Redis client for tests that run outside the application (the packaged jar), where the
 * service's own RedisDataSource cannot be injected.
 */
public final class RedisProbe implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final String url;
    private final Redis client;
    private final RedisAPI api;

    public RedisProbe(String url) {
        this.url = url;
        this.client = Redis.createClient(vertx, url);
        this.api = RedisAPI.api(client);
    }

    public String get(String key) {
        Response response = await(api.get(key));
        return response == null ? null : response.toString();
    }

    public long expireTime(String key) {
        return await(api.expiretime(key)).toLong();
    }

    public void xadd(String stream, String event) {
        await(api.xadd(List.of(stream, "*", "event", event)));
    }

    /** The {@code event} field of every entry of the stream, oldest first. */
    public List<String> streamEvents(String stream) {
        Response entries = await(api.xrange(List.of(stream, "-", "+")));
        List<String> events = new java.util.ArrayList<>();
        for (Response entry : entries) {
            Response fields = entry.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("event".equals(fields.get(i).toString())) {
                    events.add(fields.get(i + 1).toString());
                }
            }
        }
        return events;
    }

    /** Runs any command; answers null when it succeeded, else Redis' error (e.g. "NOPERM ..."). */
    public String errorOf(String command, String... args) {
        try {
            Request request = Request.cmd(Command.create(command));
            for (String arg : args) {
                request.arg(arg);
            }
            client.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return String.valueOf(e.getCause().getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SUBSCRIBE needs a connection of its own, and the Vert.x client reports a refused SUBSCRIBE only to its
     * message handler; so this speaks RESP on a plain socket. Answers null when Redis accepted it, else its error.
     */
    public String subscribeErrorOf(String channel) {
        java.net.URI uri = java.net.URI.create(url);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            if (uri.getUserInfo() != null) {
                String[] credentials = uri.getUserInfo().split(":", 2);
                out.write(resp("AUTH", credentials[0], credentials[1]));
                String auth = in.readLine();
                if (!auth.startsWith("+OK")) {
                    return auth.substring(1);
                }
            }
            out.write(resp("SUBSCRIBE", channel));
            String reply = in.readLine();
            return reply.startsWith("-") ? reply.substring(1) : null;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resp(String... words) {
        StringBuilder command = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            command.append('$').append(word.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return command.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis command failed", e);
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
