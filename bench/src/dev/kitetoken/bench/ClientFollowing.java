package dev.kitetoken.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.zerodhatech.ticker.KiteTicker;

import dev.kitetoken.client.TokenFollower;
import dev.kitetoken.client.sdk.FollowingTicker;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FakeKiteTicker;
import dev.kitetoken.support.OfficialKiteSdk;

/**
 * The client library (clients/java) as a trading program runs it, in this process: from a re-login's {@code issued}
 * event to the rebuilt ticker's first tick from the new connection, and what a follower costs while nothing
 * changes (the CPU of its threads, from the JVM's per-thread accounting, and how many threads it holds).
 */
final class ClientFollowing {

    record Result(Percentiles issuedToFirstTick, int failures, long idleMs, long followerCpuNanos, long tickerCpuNanos,
            long sdkCpuNanos, List<String> threads) {
    }

    private static final long INSTRUMENT = 408065L;
    /** nv-websocket-client's threads, which the SDK's KiteTicker runs on. */
    private static final java.util.Set<String> SDK_THREADS = java.util.Set.of("ReadingThread", "WritingThread", "ConnectThread",
            "FinishThread", "PingSender", "PongSender");

    private final String serviceUrl;
    private final String reader;
    private final FakeKiteServer kite;
    private final String apiKey;
    private final TokenEvents events;

    ClientFollowing(String serviceUrl, String reader, FakeKiteServer kite, String apiKey, TokenEvents events) {
        this.serviceUrl = serviceUrl;
        this.reader = reader;
        this.kite = kite;
        this.apiKey = apiKey;
        this.events = events;
    }

    Result run(int rounds, Duration idle, Supplier<String> logIn) throws Exception {
        try (FakeKiteTicker ticker = FakeKiteTicker.start(kite, apiKey)) {
            OfficialKiteSdk.tickerAt(ticker.sdkAddress());
            AtomicReference<FirstTick> waiting = new AtomicReference<>();
            try (TokenFollower follower = TokenFollower.start(URI.create(serviceUrl), reader);
                    FollowingTicker following = new FollowingTicker(follower)) {
                following.setOnTickerArrivalListener(ticks -> {
                    long at = System.nanoTime();
                    FirstTick first = waiting.get();
                    if (first != null && ticks.stream().anyMatch(tick -> tick.getLastTradedPrice() == first.serial())) {
                        first.arrival().complete(at);
                    }
                });
                following.subscribe(List.of(INSTRUMENT));
                following.setMode(new ArrayList<>(List.of(INSTRUMENT)), KiteTicker.modeLTP);
                following.connect();

                List<Long> latencies = new ArrayList<>();
                int failures = 0;
                for (int round = -5; round < rounds; round++) { // five rounds first, for the JIT
                    FirstTick first = new FirstTick(ticker.connections().size() + 1, new CompletableFuture<>());
                    waiting.set(first);
                    CompletableFuture<TokenEvents.Received> issued = events.next(event -> "issued".equals(event.type()));
                    logIn.get();
                    try {
                        long issuedAt = issued.get(10, TimeUnit.SECONDS).atNanos();
                        long tickAt = first.arrival().get(10, TimeUnit.SECONDS);
                        if (round >= 0) {
                            latencies.add(tickAt - issuedAt);
                        }
                    } catch (java.util.concurrent.TimeoutException e) {
                        failures++;
                    }
                }

                // Idle: the follower holds its long-poll, the ticker its connection, and nothing changes.
                Map<String, Long> before = cpuByThread();
                Thread.sleep(idle.toMillis());
                Map<String, Long> after = cpuByThread();
                List<String> threads = new ArrayList<>(after.keySet());
                return new Result(new Percentiles(latencies.stream().mapToLong(Long::longValue).toArray()), failures, idle.toMillis(),
                        delta(before, after, "kite-token-follower"), delta(before, after, "kite-ticker"),
                        SDK_THREADS.stream().mapToLong(name -> delta(before, after, name)).sum(), threads);
            }
        }
    }

    private record FirstTick(int serial, CompletableFuture<Long> arrival) {
    }

    /** CPU time of the client's threads and the SDK's WebSocket threads, by name. */
    private static Map<String, Long> cpuByThread() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new java.util.TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("kite-") || SDK_THREADS.contains(name)) {
                cpu.merge(name, mx.getThreadCpuTime(thread.getId()), Long::sum);
            }
        }
        return cpu;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
        return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
    }
}
