package dev.kitetoken.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Many sidecars following {@code GET /token/events}, each on its own connection, held across several logins:
 * what they cost the replica in memory, how soon after the {@code issued} event each stream carries it, and
 * whether the heap comes back once they are gone.
 */
final class SseStreams {

    record Round(int streams, int received, Percentiles afterIssued, CpuUse.Used cpu) {
    }

    record Result(int streams, long rssBeforeKb, long rssHoldingKb, List<Round> rounds, long heapBeforeKb, long heapAfterKb) {
    }

    private final String host;
    private final int port;
    private final String authorization;
    private final TokenEvents events;
    private final CpuUse cpu;

    SseStreams(String host, int port, String authorization, TokenEvents events, CpuUse cpu) {
        this.host = host;
        this.port = port;
        this.authorization = authorization;
        this.events = events;
        this.cpu = cpu;
    }

    Result run(int streams, int rounds, LongSupplier rssKb, LongSupplier heapAfterGcKb, Supplier<String> logIn) throws Exception {
        long heapBefore = heapAfterGcKb.getAsLong();
        long rssBefore = rssKb.getAsLong();
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(-1));
        RequestOptions follow = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI("/token/events")
                .putHeader("Authorization", authorization).putHeader("Accept", "text/event-stream");
        AtomicLongArray arrivedAt = new AtomicLongArray(streams);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Context[] loops = new Context[2 * Runtime.getRuntime().availableProcessors()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = vertx.getOrCreateContext();
        }
        for (int i = 0; i < streams; i++) {
            int n = i;
            loops[i % loops.length].runOnContext(ignored -> client.request(follow)
                    .compose(request -> request.send())
                    .onSuccess(response -> {
                        if (response.statusCode() != 200) {
                            failed.incrementAndGet();
                            return;
                        }
                        open.incrementAndGet();
                        // One login a round, so its issued event is the one this round waits for.
                        response.handler(chunk -> {
                            if (chunk.toString().contains("\"type\":\"issued\"")) {
                                arrivedAt.compareAndSet(n, 0, System.nanoTime());
                            }
                        });
                    })
                    .onFailure(e -> failed.incrementAndGet()));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (open.get() + failed.get() < streams && System.nanoTime() < deadline) {
            Waits.pause(50);
        }
        Waits.pause(2_000);
        long rssHolding = rssKb.getAsLong();
        List<Round> results = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < streams; i++) {
                arrivedAt.set(i, 0);
            }
            var issued = events.next(e -> "issued".equals(e.type()));
            CpuUse.Mark before = cpu.mark();
            logIn.get();
            long issuedAt = issued.get().atNanos();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until && countArrived(arrivedAt) < open.get()) {
                Waits.pause(20);
            }
            CpuUse.Used used = cpu.since(before);
            long[] lags = new long[streams];
            int received = 0;
            for (int i = 0; i < streams; i++) {
                long at = arrivedAt.get(i);
                if (at != 0) {
                    lags[received++] = Math.max(0, at - issuedAt);
                }
            }
            results.add(new Round(streams, received, new Percentiles(java.util.Arrays.copyOf(lags, Math.max(1, received))), used));
            Waits.pause(500);
        }
        client.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        Waits.pause(2_000); // the replica sees the connections go and drops their subscriptions
        if (failed.get() > 0) {
            System.out.printf("sse: %d streams failed to open%n", failed.get());
        }
        return new Result(streams, rssBefore, rssHolding, results, heapBefore, heapAfterGcKb.getAsLong());
    }

    private static int countArrived(AtomicLongArray arrivedAt) {
        int n = 0;
        for (int i = 0; i < arrivedAt.length(); i++) {
            if (arrivedAt.get(i) != 0) {
                n++;
            }
        }
        return n;
    }
}
