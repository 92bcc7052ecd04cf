package dev.kitetoken.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * From {@code POST /token/invalidate} (a pod reporting a token Kite rejected) to the invalidated event
 * reaching a subscriber in another process, over many rounds: log in, have Kite kill the session, report.
 */
final class EventPropagation {

    record Result(int rounds, int failures, Percentiles latency) {
    }

    private final String serviceUrl;
    private final String readerToken;
    private final TokenEvents events;
    /** One kept-alive connection, like a pod's client: the measurement is the service's, not a TCP handshake's. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    EventPropagation(String serviceUrl, String readerToken, TokenEvents events) {
        this.serviceUrl = serviceUrl;
        this.readerToken = readerToken;
        this.events = events;
    }

    /** {@code logIn} logs in and answers the new token_id; {@code killAtKite} makes Kite reject it. */
    Result run(int rounds, Supplier<String> logIn, Runnable killAtKite) throws Exception {
        long[] latencies = new long[rounds];
        int failures = 0;
        for (int i = 0; i < rounds; i++) {
            // The service asks Kite at most 10 times a second (@RateLimit); stay under it.
            long roundEnds = System.nanoTime() + 110_000_000L;
            String tokenId = logIn.get();
            killAtKite.run();
            CompletableFuture<TokenEvents.Received> event = events.next(e -> "invalidated".equals(e.type()) && tokenId.equals(e.tokenId()));
            long sent = System.nanoTime();
            int status = http.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/token/invalidate"))
                    .header("Authorization", "Bearer " + readerToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token_id\":\"" + tokenId + "\"}")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                failures++;
                latencies[i] = -1;
                continue;
            }
            latencies[i] = event.get(5, TimeUnit.SECONDS).atNanos() - sent;
            long left = roundEnds - System.nanoTime();
            if (left > 0) {
                Waits.pause(left / 1_000_000);
            }
        }
        return new Result(rounds, failures, new Percentiles(Arrays.stream(latencies).filter(l -> l >= 0).toArray()));
    }
}
