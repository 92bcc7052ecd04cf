package dev.kitetoken.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.EventStream;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class ServerSentEventsTest extends ServiceTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readersReceiveTheEventsAsServerSentEvents() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(KiteTestEnvironment.PUBLIC_URL + "/token/events"))
                .header("Authorization", "Bearer " + KiteTestEnvironment.READER_TOKEN)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20))
                .build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));

        CompletableFuture<List<JsonNode>> received = CompletableFuture.supplyAsync(() -> readEvents(response, 3));
        Thread.sleep(300);
        Browser.logIn().then().statusCode(200);
        Browser.logIn().then().statusCode(200);

        List<JsonNode> events = received.get(10, TimeUnit.SECONDS);
        assertThat(events).isEqualTo(EventStream.read(redis));
        assertThat(events.get(2).get("token_id").asText()).isEqualTo(TokenIds.tokenId(kite.currentAccessToken()));
        response.body().close();
    }

    @Test
    void aQuietStreamCarriesKeepAliveComments() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(KiteTestEnvironment.PUBLIC_URL + "/token/events"))
                .header("Authorization", "Bearer " + KiteTestEnvironment.READER_TOKEN)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        // KITE_EVENTS_KEEP_ALIVE is 1 s in the tests: two comments arrive with no event in between.
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> readLines(response, 4));
        assertThat(lines.get(10, TimeUnit.SECONDS)).filteredOn(line -> !line.isEmpty())
                .hasSizeGreaterThanOrEqualTo(2).allMatch(line -> line.equals(": keep-alive") || line.equals(":keep-alive"));
        response.body().close();
    }

    @Test
    void theStreamNeedsAReaderBearer() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(KiteTestEnvironment.PUBLIC_URL + "/token/events"))
                .header("Accept", "text/event-stream").build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    }

    private static List<String> readLines(HttpResponse<java.io.InputStream> response, int count) {
        List<String> read = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (read.size() < count && (line = lines.readLine()) != null) {
                read.add(line);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return read;
    }

    private static List<JsonNode> readEvents(HttpResponse<java.io.InputStream> response, int count) {
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (events.size() < count && (line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    events.add(EventStream.parse(line.substring(5).strip()));
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }
}
