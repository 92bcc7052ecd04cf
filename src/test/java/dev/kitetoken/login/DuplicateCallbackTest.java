package dev.kitetoken.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FakeKiteServer.Fault;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A request_token reaches Kite once, however many times the callback arrives. */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class DuplicateCallbackTest extends ServiceTest {

    @Test
    void twentyConcurrentDuplicatesMakeOneKiteCallAndGetTheSameAnswer() throws Exception {
        kite.exchangeDelay(Duration.ofMillis(500));
        List<Response> answers = concurrently(20, Browser.callbackAfterLogin());

        assertThat(kite.sessionCalls()).isEqualTo(1);
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.asString()).isEqualTo(answers.get(0).asString());
        });
        assertThat(answers.get(0).asString()).contains("\"user_id\":\"SIM001\"");
    }

    @Test
    void duplicatesOfAFailedExchangeGetTheSameFailure() throws Exception {
        kite.exchangeDelay(Duration.ofMillis(300));
        kite.fault(Fault.SERVER_ERROR);
        List<Response> answers = concurrently(10, Browser.callbackAfterLogin());

        assertThat(kite.sessionCalls()).isEqualTo(1);
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(502);
            assertThat(answer.asString()).isEqualTo(answers.get(0).asString());
        });
    }

    @Test
    void aBrowserRefreshAfterwardsGetsTheSameAnswerWithoutCallingKite() {
        URI callback = Browser.callbackAfterLogin();
        String first = given().accept("application/json").get(callback).then().statusCode(200).extract().asString();
        String refresh = given().accept("application/json").get(callback).then().statusCode(200).extract().asString();

        assertThat(refresh).isEqualTo(first);
        assertThat(kite.sessionCalls()).isEqualTo(1);
    }

    @Test
    void theMarkerIsKeyedByAHashAndExpiresInTenMinutes() {
        URI callback = Browser.callbackAfterLogin();
        String requestToken = callback.getQuery().replaceFirst(".*request_token=([A-Za-z0-9]+).*", "$1");
        given().accept("application/json").get(callback).then().statusCode(200);

        List<String> markers = redis.key().keys("kite:exchange:*");
        assertThat(markers).hasSize(1);
        assertThat(markers.get(0)).doesNotContain(requestToken);
        assertThat(redis.value(String.class).get(markers.get(0))).doesNotContain(requestToken);
        assertThat(redis.key().ttl(markers.get(0))).isBetween(590L, 600L);
    }

    @Test
    void aDuplicateWithADifferentStateIsRefused() {
        URI callback = Browser.callbackAfterLogin();
        given().accept("application/json").get(callback).then().statusCode(200);
        URI forged = URI.create(callback.toString().replaceFirst("state=[^&]*", "state=" + "y".repeat(43)));

        given().accept("application/json").get(forged).then().statusCode(400);
        assertThat(kite.sessionCalls()).isEqualTo(1);
    }

    private static List<Response> concurrently(int count, URI callback) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return given().accept("application/json").get(callback).andReturn();
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
