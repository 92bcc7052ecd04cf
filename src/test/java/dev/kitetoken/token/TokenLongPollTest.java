package dev.kitetoken.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** GET /token with If-None-Match and ?wait: how a sidecar follows rotations without polling. */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class TokenLongPollTest extends ServiceTest {

    @Test
    void aWaitingReaderGetsTheNewTokenAsSoonAsItIsIssued() throws Exception {
        Browser.logIn().then().statusCode(200);
        String first = TokenIds.tokenId(kite.currentAccessToken());
        CompletableFuture<Long> answeredAt = new CompletableFuture<>();
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(() -> {
            Response response = given().auth().oauth2(KiteTestEnvironment.READER_TOKEN)
                    .header("If-None-Match", "\"" + first + "\"").queryParam("wait", 30).get("/token").andReturn();
            answeredAt.complete(System.nanoTime());
            return response;
        });
        Thread.sleep(500);
        assertThat(poll).as("still waiting for a change").isNotDone();

        Browser.logIn().then().statusCode(200);
        long issuedAt = System.nanoTime();

        Response answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("access_token")).isEqualTo(kite.currentAccessToken());
        assertThat(answer.header("ETag")).isEqualTo("\"" + TokenIds.tokenId(kite.currentAccessToken()) + "\"");
        // The bound: the waiting reader hears of the new token within 100 ms of the login finishing.
        assertThat(TimeUnit.NANOSECONDS.toMillis(answeredAt.get() - issuedAt)).isLessThan(100);
    }

    @Test
    void theSameTokenAfterTheWaitIs304() {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        long start = System.nanoTime();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "\"" + tokenId + "\"")
                .queryParam("wait", 1).get("/token")
                .then().statusCode(304).header("ETag", "\"" + tokenId + "\"");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void withoutWaitAMatchingTagIs304AtOnceAndAnotherIs200() {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "\"" + tokenId + "\"")
                .get("/token").then().statusCode(304);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "\"0000000000000000\"")
                .get("/token").then().statusCode(200).body("token_id", equalTo(tokenId));
    }

    /** Issue 21: RFC 9110 §13.1.2: "*" matches any current token, and a list matches when one of its tags does. */
    @Test
    void anAsteriskOrAListNamingTheCurrentTokenIs304() {
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "*").get("/token").then().statusCode(404);
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        for (String ifNoneMatch : new String[] { "*", "\"0000000000000000\", \"" + tokenId + "\"", "W/\"1111111111111111\",W/\"" + tokenId + "\"",
                " \"" + tokenId + "\" , \"2222222222222222\"" }) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", ifNoneMatch)
                    .get("/token").then().statusCode(304).header("ETag", "\"" + tokenId + "\"");
        }
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "\"0000000000000000\", \"1111111111111111\"")
                .get("/token").then().statusCode(200).body("token_id", equalTo(tokenId));
    }

    @Test
    void manyWaitersGivingUpDoNotDisturbTheNext() throws Exception {
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).queryParam("wait", 1).get("/token").then().statusCode(404);
        }
        aReaderWithoutATokenIsAnsweredByTheFirstLogin();
    }

    @Test
    void noTokenAfterTheWaitIs404() {
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).queryParam("wait", 1).get("/token")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aReaderWithoutATokenIsAnsweredByTheFirstLogin() throws Exception {
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").queryParam("wait", 30).get("/token").andReturn());
        Thread.sleep(300);
        Browser.logIn().then().statusCode(200);

        Response answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.asString()).isEqualTo(kite.currentAccessToken());
    }

    @Test
    void whenTheNamedTokenEndsWithoutSuccessorTheWaitEndsAt404() throws Exception {
        Browser.logIn().then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "\"" + tokenId + "\"")
                .queryParam("wait", 30).get("/token").andReturn());
        Thread.sleep(300);
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token").then().statusCode(200);

        assertThat(poll.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
    }

    @Test
    void waitIsBounded() {
        for (String wait : new String[] { "61", "-1", "abc", "1.5", "99999999999" }) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).queryParam("wait", wait).get("/token")
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }
}
