package dev.kitetoken.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

/**
 * A trading pod's view of the events: SUBSCRIBE on the events channel from this (another) process, each
 * event stamped with the moment it arrived.
 */
final class TokenEvents implements AutoCloseable {

    record Received(String type, String reason, String tokenId, long atNanos) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final RedisConnection connection;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Predicate<Received> wanted, CompletableFuture<Received> arrival) {
    }

    TokenEvents(String redisUrl, String channel) {
        try {
            connection = Redis.createClient(vertx, redisUrl).connect().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            connection.handler(message -> {
                long at = System.nanoTime();
                if (message.size() == 3 && "message".equals(message.get(0).toString())) {
                    accept(message.get(2).toString(), at);
                }
            });
            connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not subscribe to " + channel, e);
        }
    }

    private void accept(String payload, long at) {
        try {
            JsonNode event = JSON.readTree(payload);
            Received one = new Received(event.path("type").asText(), event.path("reason").asText(null),
                    event.path("token_id").asText(), at);
            received.add(one);
            for (Waiter waiter : waiters) {
                if (waiter.wanted().test(one) && waiter.arrival().complete(one)) {
                    waiters.remove(waiter);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("not an event: " + e.getClass().getSimpleName());
        }
    }

    /** A future for the next event that matches; register it before causing the event. */
    CompletableFuture<Received> next(Predicate<Received> wanted) {
        CompletableFuture<Received> arrival = new CompletableFuture<>();
        waiters.add(new Waiter(wanted, arrival));
        return arrival;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        connection.close();
        vertx.close();
    }
}
