package dev.kitetoken.support;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

/**
 * A plain Vert.x Redis client for tests that run outside the application (the packaged jar), where the
 * service's own RedisDataSource cannot be injected.
 */
public final class RedisProbe implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis client;
    private final RedisAPI api;

    public RedisProbe(String url) {
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
