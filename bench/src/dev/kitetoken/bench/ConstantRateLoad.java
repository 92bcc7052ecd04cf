package dev.kitetoken.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * GET /token at a fixed rate (requests are sent on schedule whether or not earlier ones have been
 * answered, so a stall shows up as latency instead of being hidden) while a person logs in again every
 * few seconds. Each answer is checked against the issued events a subscriber in this process heard: an
 * answer carrying token T that arrives more than the allowed lag after T's successor was issued is stale.
 */
final class ConstantRateLoad {

    record Result(int rate, Duration duration, int sent, int ok, int errors, Map<String, Integer> errorKinds,
            int logins, int loginFailures, int superseded, int stale, double maxLagMillis, Percentiles latency) {
    }

    private final String host;
    private final int port;
    private final String authorization;
    private final TokenEvents events;
    private final Runnable logIn;

    ConstantRateLoad(String host, int port, String authorization, TokenEvents events, Runnable logIn) {
        this.host = host;
        this.port = port;
        this.authorization = authorization;
        this.events = events;
        this.logIn = logIn;
    }

    Result run(int rate, Duration duration, Duration loginEvery, Duration allowedLag) throws InterruptedException {
        int total = (int) (rate * duration.toSeconds());
        long interval = 1_000_000_000L / rate;
        long[] due = new long[total];
        long[] answered = new long[total];
        int[] status = new int[total];
        String[] etag = new String[total];
        Map<String, Integer> errorKinds = new HashMap<>();
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger loginFailures = new AtomicInteger();

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
                new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(-1));
        RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI("/token")
                .putHeader("Authorization", authorization).putHeader("Accept", "application/json").setTimeout(5_000);

        Thread relogins = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(loginEvery.toMillis());
                    logIn.run();
                    logins.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | AssertionError e) {
                    loginFailures.incrementAndGet();
                }
            }
        }, "relogins");
        relogins.setDaemon(true);
        relogins.start();
        long start = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < total; i++) {
            due[i] = start + i * interval;
            long wait = due[i] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int n = i;
            client.request(get)
                    .compose(request -> request.send())
                    .compose(response -> {
                        status[n] = response.statusCode();
                        etag[n] = response.getHeader("ETag");
                        return response.body();
                    })
                    .onComplete(result -> {
                        answered[n] = System.nanoTime();
                        if (result.failed()) {
                            status[n] = -1;
                            synchronized (errorKinds) {
                                errorKinds.merge(result.cause().getClass().getSimpleName(), 1, Integer::sum);
                            }
                        } else if (status[n] != 200) {
                            synchronized (errorKinds) {
                                errorKinds.merge("HTTP " + status[n], 1, Integer::sum);
                            }
                        }
                        done.countDown();
                    });
        }
        relogins.interrupt();
        done.await(30, TimeUnit.SECONDS);
        relogins.join();
        client.close();
        vertx.close();

        // When each token was superseded: the arrival of the next issued event.
        List<TokenEvents.Received> issued = events.received().stream().filter(e -> "issued".equals(e.type())).toList();
        Map<String, Long> supersededAt = new HashMap<>();
        for (int i = 0; i + 1 < issued.size(); i++) {
            supersededAt.put(issued.get(i).tokenId(), issued.get(i + 1).atNanos());
        }
        int ok = 0;
        int superseded = 0;
        int stale = 0;
        long maxLag = 0;
        long[] latencies = new long[total];
        for (int i = 0; i < total; i++) {
            latencies[i] = answered[i] - due[i];
            if (status[i] != 200) {
                continue;
            }
            ok++;
            Long replacedAt = etag[i] == null ? null : supersededAt.get(etag[i].replace("\"", ""));
            if (replacedAt != null && answered[i] > replacedAt) {
                superseded++;
                long lag = answered[i] - replacedAt;
                maxLag = Math.max(maxLag, lag);
                if (lag > allowedLag.toNanos()) {
                    stale++;
                }
            }
        }
        if (Boolean.getBoolean("bench.timeline")) {
            for (int second = 0; second * rate < total; second++) {
                long worst = 0;
                for (int i = second * rate; i < Math.min(total, (second + 1) * rate); i++) {
                    worst = Math.max(worst, latencies[i]);
                }
                System.out.printf("load: second %d worst %.1f ms%n", second, worst / 1e6);
            }
            issued.forEach(e -> System.out.printf("load: issued at %.3f s%n", (e.atNanos() - start) / 1e9));
        }
        return new Result(rate, duration, total, ok, total - ok, errorKinds, logins.get(), loginFailures.get(),
                superseded, stale, maxLag / 1e6, new Percentiles(latencies));
    }
}
