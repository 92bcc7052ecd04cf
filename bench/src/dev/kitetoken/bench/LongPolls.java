package dev.kitetoken.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Many sidecars waiting on {@code GET /token?wait=60} with the current token's ETag, each on its own
 * connection: what they cost the replica in memory, and how soon after a new token each is answered.
 */
final class LongPolls {

    record Result(int clients, long rssBeforeKb, long rssHoldingKb, int answered, int answeredWithNewToken,
            Percentiles afterIssued, long heapBeforeKb, long heapAfterKb, CpuUse.Used cpu) {
    }

    private final String host;
    private final int port;
    private final String authorization;
    private final TokenEvents events;
    private final CpuUse cpu;

    LongPolls(String host, int port, String authorization, TokenEvents events, CpuUse cpu) {
        this.host = host;
        this.port = port;
        this.authorization = authorization;
        this.events = events;
        this.cpu = cpu;
    }

    /** Opens the polls with {@code currentTokenId}, waits until they are held, then runs {@code logIn}. */
    Result run(int clients, String currentTokenId, LongSupplier rssKb, LongSupplier heapAfterGcKb, Runnable logIn)
            throws InterruptedException {
        long heapBefore = heapAfterGcKb.getAsLong();
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(clients).setMaxWaitQueueSize(-1));
        RequestOptions poll = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                .setURI("/token?wait=60").setTimeout(90_000)
                .putHeader("Authorization", authorization).putHeader("If-None-Match", "\"" + currentTokenId + "\"");
        long[] answeredAt = new long[clients];
        String[] etags = new String[clients];
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger connected = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        long rssBefore = rssKb.getAsLong();
        // Spread over every event loop of this process: on one, reading 1,000 answers takes longer than sending them.
        Context[] loops = new Context[2 * Runtime.getRuntime().availableProcessors()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = vertx.getOrCreateContext();
        }
        for (int i = 0; i < clients; i++) {
            int n = i;
            loops[i % loops.length].runOnContext(ignored -> client.request(poll)
                    .compose(request -> {
                        connected.incrementAndGet();
                        return request.send();
                    })
                    .compose(response -> {
                        etags[n] = response.statusCode() == 200 ? response.getHeader("ETag") : "HTTP " + response.statusCode();
                        return response.body();
                    })
                    .onComplete(result -> {
                        answeredAt[n] = System.nanoTime();
                        if (result.failed()) {
                            failures.incrementAndGet();
                        }
                        done.countDown();
                    }));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (connected.get() < clients && System.nanoTime() < deadline) {
            Waits.pause(50);
        }
        // Let the replica take every request in and park it before measuring.
        Waits.pause(3_000);
        long rssHolding = rssKb.getAsLong();
        int early = clients - (int) done.getCount();
        var issued = events.next(e -> "issued".equals(e.type()));
        CpuUse.Mark before = cpu.mark();
        logIn.run();
        done.await(60, TimeUnit.SECONDS);
        CpuUse.Used used = cpu.since(before);
        long issuedAt = issued.join().atNanos();
        String newTag = "\"" + issued.join().tokenId() + "\"";
        int withNewToken = 0;
        long[] lags = new long[clients];
        int answered = 0;
        for (int i = 0; i < clients; i++) {
            if (answeredAt[i] != 0) {
                answered++;
                lags[i] = answeredAt[i] - issuedAt;
            }
            if (newTag.equals(etags[i])) {
                withNewToken++;
            }
        }
        if (Boolean.getBoolean("bench.timeline")) {
            Percentiles p = new Percentiles(lags);
            System.out.printf("long polls: first %.1f ms, p50 %.1f, last %.1f ms after issued%n", p.millis(0), p.millis(50), p.maxMillis());
        }
        client.close();
        vertx.close();
        if (early > 0 || failures.get() > 0) {
            System.out.printf("long polls: %d answered before the login, %d failed%n", early, failures.get());
        }
        Waits.pause(1_000); // the replica closes what the answers left behind
        return new Result(clients, rssBefore, rssHolding, answered, withNewToken, new Percentiles(lags), heapBefore,
                heapAfterGcKb.getAsLong(), used);
    }
}
