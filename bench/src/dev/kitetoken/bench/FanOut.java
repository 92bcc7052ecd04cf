package dev.kitetoken.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Propagation as users feel it, across replicas: from the {@code issued} event of a login reaching a Redis
 * subscriber in this process (the PUBLISH, seen from outside) to a long-poll on every replica answering with
 * the new token (the replica heard it, refreshed its near copy and woke its waiters). Each change is a login;
 * its Kite round trip happens before the PUBLISH, so it is not in these numbers.
 */
final class FanOut {

    /** {@code everyReplica}: one sample per replica and change; {@code slowestReplica}: the last of each change. */
    record Result(int replicas, int changes, int failures, Percentiles everyReplica, Percentiles slowestReplica, CpuUse.Used cpu) {
    }

    private final List<String> replicaUrls;
    private final String authorization;
    private final TokenEvents events;
    private final CpuUse cpu;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    FanOut(List<String> replicaUrls, String authorization, TokenEvents events, CpuUse cpu) {
        this.replicaUrls = replicaUrls;
        this.authorization = authorization;
        this.events = events;
        this.cpu = cpu;
    }

    Result run(int changes, String currentTokenId, Supplier<String> logIn) throws Exception {
        List<Long> every = new ArrayList<>();
        long[] slowest = new long[changes];
        int failures = 0;
        String tokenId = currentTokenId;
        CpuUse.Mark start = cpu.mark();
        for (int change = 0; change < changes; change++) {
            List<CompletableFuture<Long>> answers = new ArrayList<>();
            for (String replica : replicaUrls) {
                HttpRequest wait = HttpRequest.newBuilder(URI.create(replica + "/token?wait=30")).timeout(Duration.ofSeconds(40))
                        .header("Authorization", authorization).header("If-None-Match", "\"" + tokenId + "\"").build();
                answers.add(http.sendAsync(wait, HttpResponse.BodyHandlers.discarding())
                        .thenApply(response -> response.statusCode() == 200 ? System.nanoTime() : -1L));
            }
            // Parked on every replica before the change (a poll that arrives after it answers at once, unmeasured).
            Waits.pause(30);
            var issued = events.next(e -> "issued".equals(e.type()));
            tokenId = logIn.get();
            long publishedAt = issued.get(10, TimeUnit.SECONDS).atNanos();
            long last = 0;
            boolean failed = false;
            for (CompletableFuture<Long> answer : answers) {
                long at = answer.get(10, TimeUnit.SECONDS);
                if (at < 0) {
                    failed = true;
                    continue;
                }
                every.add(Math.max(0, at - publishedAt));
                last = Math.max(last, at - publishedAt);
            }
            slowest[change] = Math.max(0, last);
            if (failed) {
                failures++;
            }
        }
        return new Result(replicaUrls.size(), changes, failures, new Percentiles(every.stream().mapToLong(Long::longValue).toArray()),
                new Percentiles(slowest), cpu.since(start));
    }
}
