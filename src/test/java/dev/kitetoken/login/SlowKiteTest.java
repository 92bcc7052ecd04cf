package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
            Thread.sleep(300);

            for (int i = 0; i < 20; i++) {
                given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
            }
            // Those reads were answered while the exchanges that reached Kite still hung.
            assertThat(hanging.stream().filter(CompletableFuture::isDone).count()).isLessThan(50);

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
