package dev.kitetoken.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * GET /token's common case is answered by {@link TokenFastPath} on the Vert.x router; {@code ?wait=0} means the
 * same and always goes on to Quarkus REST. The two answers must be the same, header by header.
 */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class FastPathTest extends ServiceTest {

    private static final Pattern TOKEN_REQUESTS = Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/token\"[^}]*} ([0-9.E]+)$");

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Inject
    TokenFastPath fastPath;

    @ParameterizedTest
    @ValueSource(strings = { "none", "*/*", "application/json", "text/plain" })
    void answersExactlyAsTheResourceDoes(String accept) throws Exception {
        Browser.logIn().then().statusCode(200);
        send("/token", accept); // the first read after a login fills the replica's copy

        long before = fastPath.answered();
        HttpResponse<byte[]> fast = send("/token", accept);
        assertThat(fastPath.answered()).as("answered on the fast path").isEqualTo(before + 1);
        HttpResponse<byte[]> resource = send("/token?wait=0", accept);
        assertThat(fastPath.answered()).as("?wait=0 goes on to Quarkus REST").isEqualTo(before + 1);

        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(resource.statusCode()).isEqualTo(200);
        assertThat(fast.body()).isEqualTo(resource.body());
        assertThat(headers(fast)).isEqualTo(headers(resource));
        assertThat(new String(fast.body(), StandardCharsets.UTF_8)).contains(kite.currentAccessToken());
    }

    @Test
    void everyOtherRequestGoesOnToTheResource() throws Exception {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());

        long before = fastPath.answered();
        given().get("/token").then().statusCode(401);
        given().header("Authorization", "Bearer wrong-secret").get("/token").then().statusCode(401);
        given().header("Authorization", "Basic dGVzdDp0ZXN0").get("/token").then().statusCode(401);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("application/xml").get("/token").then().statusCode(406);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain, application/json").get("/token")
                .then().statusCode(200).contentType("text/plain;charset=UTF-8");
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).header("If-None-Match", "\"" + tokenId + "\"").get("/token")
                .then().statusCode(304);
        assertThat(send("/token/", "none").statusCode()).isEqualTo(200);
        assertThat(fastPath.answered()).isEqualTo(before);

        redis.flushall();
        replica.endedHere();
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);
        assertThat(fastPath.answered()).isEqualTo(before);
    }

    @Test
    void itsAnswersCountInTheHttpMetricsUnderTheSameUri() {
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        double before = tokenRequestsCounted();
        long answeredBefore = fastPath.answered();
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        }
        assertThat(fastPath.answered()).isEqualTo(answeredBefore + 5);
        assertThat(tokenRequestsCounted()).isEqualTo(before + 5);
    }

    private static double tokenRequestsCounted() {
        String metrics = given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/metrics").then().statusCode(200).extract().asString();
        Matcher count = TOKEN_REQUESTS.matcher(metrics);
        assertThat(count.find()).as("GET /token 200s in /q/metrics").isTrue();
        return Double.parseDouble(count.group(1));
    }

    /** The JDK's client sends no Accept header unless told to, so "none" means none. */
    private static HttpResponse<byte[]> send(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(KiteTestEnvironment.PUBLIC_URL + path))
                .header("Authorization", "Bearer " + KiteTestEnvironment.READER_TOKEN);
        if (!"none".equals(accept)) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, List<String>> headers(HttpResponse<?> response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("date");
        return headers;
    }
}
