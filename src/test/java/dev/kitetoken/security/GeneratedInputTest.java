package dev.kitetoken.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RawHttp;
import dev.kitetoken.support.SecretLedger;
import dev.kitetoken.support.ServiceTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Thousands of generated callbacks and reports (seeded, so a failure replays): every answer is below 500,
 * carries no secret, and Redis holds exactly what it held before.
 */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class GeneratedInputTest extends ServiceTest {

    private static final long SEED = 20261128L;
    private static final String[] PIECES = { "", "a", "Z9", "success", "cancelled", "%00", "%zz", "%", "'", "\"", "<script>",
            "%3Cscript%3E", "é", "%E2%82%AC", "💸", "%F0%9F%92%B8", "\t", "%0D%0A", "..%2F..%2F", "null", "[]", "{}", "+", "%2B",
            "a".repeat(40), "0123456789abcdef", ";", "&", "=", "%26", "%3D" };
    private static final String[] NAMES = { "status", "request_token", "state", "action", "type", "REQUEST_TOKEN", "" };

    @Test
    void generatedCallbacksNeverFail() {
        Browser.logIn().then().statusCode(200);
        String before = redisSnapshot();
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            StringBuilder query = new StringBuilder();
            int parameters = random.nextInt(5);
            for (int p = 0; p < parameters; p++) {
                query.append(p == 0 ? "" : "&").append(pick(random, NAMES)).append('=').append(value(random));
            }
            String accept = random.nextBoolean() ? "application/json" : "text/html";
            RawHttp.Answer answer = RawHttp.get(KiteTestEnvironment.SERVICE_PORT, "/callback?" + query, accept);
            if (answer.status() >= 500 || containsSecret(answer.text())) {
                failures.add(answer.status() + " for /callback?" + query);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(redisSnapshot()).isEqualTo(before);
    }

    @Test
    void generatedReportsNeverFail() {
        Browser.logIn().then().statusCode(200);
        kite.profileFails(true); // a report that reached Kite could change Redis; these must not get that far anyway
        String before = redisSnapshot();
        Random random = new Random(SEED + 1);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String body = switch (random.nextInt(4)) {
                case 0 -> "{\"token_id\":\"" + json(value(random)) + "\"}";
                case 1 -> "{\"access_token\":\"" + json(value(random)) + "\"}";
                case 2 -> "{\"" + json(value(random)) + "\":\"" + json(value(random)) + "\"}";
                default -> value(random) + value(random);
            };
            Response answer = given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("application/json")
                    .body(body).post("/token/invalidate");
            if (answer.statusCode() >= 500 && answer.statusCode() != 503 || containsSecret(answer.asString())) {
                failures.add(answer.statusCode() + " for " + body);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(redisSnapshot()).isEqualTo(before);
    }

    private static String value(Random random) {
        StringBuilder value = new StringBuilder();
        int pieces = random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            value.append(pick(random, PIECES));
        }
        // Raw characters a client would percent-encode, so that the request line stays parseable HTTP.
        return value.toString().chars().anyMatch(c -> c > 126 || c < 33)
                ? URLEncoder.encode(value.toString(), StandardCharsets.UTF_8)
                : value.toString();
    }

    private static String json(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static boolean containsSecret(String text) {
        return SecretLedger.secrets().stream().anyMatch(text::contains);
    }

    /** Every key with its value or stream length: what "Redis unchanged" means here. */
    private String redisSnapshot() {
        List<String> keys = new ArrayList<>(redis.key().keys("*"));
        keys.removeIf(key -> key.startsWith("kite:kite-verdict:"));
        keys.sort(String::compareTo);
        StringBuilder snapshot = new StringBuilder();
        for (String key : keys) {
            String type = redis.key().type(key).name();
            snapshot.append(key).append('=').append(type.equals("STREAM") ? redis.stream(String.class).xlen(key)
                    : type.equals("STRING") ? redis.value(String.class).get(key) : type).append('\n');
        }
        return snapshot.toString();
    }
}
