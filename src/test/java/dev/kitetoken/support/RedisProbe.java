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

    public void flushAll() {
        await(api.flushall(List.of()));
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
