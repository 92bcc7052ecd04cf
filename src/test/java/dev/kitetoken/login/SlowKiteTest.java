package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer.Fault;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A Kite that never answers holds at most a bounded number of exchanges; GET /token is not held up. */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class SlowKiteTest extends ServiceTest {

    @Test
    void fiftyHangingCallbacksDoNotStarveGetToken() throws Exception {
        Browser.logIn().then().statusCode(200);
        List<URI> callbacks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            callbacks.add(Browser.callbackAfterLogin());
        }
        kite.fault(Fault.HANG);
        int before = kite.sessionCalls();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<Integer>> hanging = new ArrayList<>();
            for (URI callback : callbacks) {
                hanging.add(CompletableFuture.supplyAsync(
                        () -> given().accept("application/json").get(callback).statusCode(), pool));
            }
            // Wait until the bulkhead is full: 16 exchanges hang at Kite, the other 34 were refused at once.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> kite.sessionCalls() - before == 16
                    && hanging.stream().filter(CompletableFuture::isDone).count() == 34);

            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
                // Bounded by Kite's timeout (2 s here), not a speed claim: a read queued behind a hung
                // exchange would take at least that long.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("GET /token %d while Kite hangs", i)
                        .isLessThan(Duration.ofMillis(1_500));
            }
            // Every read was answered while all 16 exchanges still hung at Kite.
            assertThat(hanging.stream().filter(CompletableFuture::isDone).count()).isEqualTo(34);

            CompletableFuture.allOf(hanging.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            List<Integer> statuses = hanging.stream().map(CompletableFuture::join).toList();
            assertThat(statuses).containsOnly(503, 504);
            int reachedKite = kite.sessionCalls() - before;
            assertThat(reachedKite).isPositive().isLessThanOrEqualTo(16);
            assertThat(statuses.stream().filter(s -> s == 504).count()).isEqualTo(reachedKite);
        } finally {
            pool.shutdownNow();
        }
    }
}
