package dev.kitetoken.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer.Fault;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.Promtool;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** After a flow, /q/metrics on the management port shows what an operator alerts on. */
@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class MetricsTest extends ServiceTest {

    /** What Prometheus 2.x sends when it scrapes. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
            + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    @Test
    void theMetricsOfAFlowArePublishedOnTheManagementPort() {
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);
        Browser.logIn().then().statusCode(200);
        kite.fault(Fault.SERVER_ERROR);
        given().accept("application/json").get(Browser.callbackAfterLogin()).then().statusCode(502);
        kite.reset();
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
        given().auth().oauth2("wrong-" + KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(401);
        String tokenId = TokenIds.tokenId(kite.currentAccessToken());
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).contentType("application/json")
                .body("{\"token_id\":\"" + tokenId + "\"}").post("/token/invalidate").then().statusCode(200);

        String metrics = given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/metrics").then().statusCode(200).extract().asString();

        assertThat(value(metrics, "kite_token_present")).isEqualTo(1);
        assertThat(value(metrics, "kite_token_expires_in_seconds")).isPositive();
        assertThat(value(metrics, "kite_events_subscribed")).isEqualTo(1);
        assertThat(value(metrics, "kite_exchanges_total{result=\"success\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(metrics, "kite_exchanges_total{result=\"unavailable\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kite_token_requests_total{outcome=\"served\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kite_token_requests_total{outcome=\"not_found\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kite_events_published_total{reason=\"login\",type=\"issued\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kite_invalidation_reports_total{outcome=\"still_valid\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kite_auth_failures_total{reason=\"unknown_secret\",required=\"reader\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "kite_calls_seconds_count{call=\"exchange\",outcome=\"answered\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(metrics, "kite_calls_seconds_count{call=\"profile\",outcome=\"answered\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metrics).doesNotContain(kite.currentAccessToken());
    }

    /** Issue 21: as Prometheus scrapes it (its Accept header), /q/metrics passes Prometheus' own linter. */
    @Test
    void theMetricsPassPromtoolAndEveryKiteMetricSaysWhatItIs() {
        theMetricsOfAFlowArePublishedOnTheManagementPort();
        given().get("/token").then().statusCode(401);

        String metrics = given().header("Accept", PROMETHEUS_ACCEPT).get(KiteTestEnvironment.MANAGEMENT_URL + "/q/metrics")
                .then().statusCode(200).extract().asString();

        Promtool.Result lint = Promtool.run(metrics, "check", "metrics");
        assertThat(lint.output()).as("promtool check metrics").isEmpty();
        assertThat(lint.exitCode()).isZero();
        Matcher kiteMetric = Pattern.compile("(?m)^# TYPE (kite_\\w+) ").matcher(metrics);
        int kiteMetrics = 0;
        while (kiteMetric.find()) {
            kiteMetrics++;
            assertThat(metrics).as("help text of %s", kiteMetric.group(1)).containsPattern("(?m)^# HELP " + kiteMetric.group(1) + " \\S");
        }
        assertThat(kiteMetrics).isGreaterThanOrEqualTo(12);
        assertThat(value(metrics, "kite_trading_day")).isBetween(0.0, 1.0);
        assertThat(metrics).contains("kite_until_market_open_seconds ");
    }

    @Test
    void theOpenApiDocumentDescribesTheWholeApiOnTheManagementPort() {
        String openapi = given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(openapi).contains("\"/token\"", "\"/token/invalidate\"", "\"/token/events\"", "\"/login\"", "\"/callback\"");
        given().get("/q/openapi").then().statusCode(404);
    }

    private static double value(String metrics, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
        if (!line.find()) {
            throw new AssertionError(series + " is not in /q/metrics");
        }
        return Double.parseDouble(line.group(1));
    }
}
