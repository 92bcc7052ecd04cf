package dev.kitetoken.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import dev.kitetoken.calendar.TradingCalendar;
import dev.kitetoken.notify.ReminderSchedule;
import dev.kitetoken.support.Promtool;

/**
 * The alerting rules that ship (k8s/monitoring), run by promtool on the values the service's own calendar
 * gauges take through a morning: a trading day without a token pages, a Saturday, a holiday and a morning with
 * a token do not, a special session does, and no replica at all pages too. The calendar is the service's
 * (ReminderSchedule, as kite_trading_day and kite_until_market_open_seconds export it), never a copy in PromQL.
 */
class AlertRulesTest {

    private static final Path RULES = Path.of("k8s/monitoring/kite-token-service.rules.yaml");
    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    /** KITE_HOLIDAYS and KITE_SPECIAL_SESSIONS of these tests: Monday 7 Dec a holiday, Sunday 6 Dec a session. */
    private static final ReminderSchedule SCHEDULE = new ReminderSchedule(
            TradingCalendar.of("MON-FRI", List.of("2026-12-07"), List.of("2026-12-06")),
            LocalTime.of(8, 30), Duration.ofMinutes(15), LocalTime.of(9, 15), IST);
    /** Each test's series start at 07:30 IST, one sample a minute for three hours. */
    private static final LocalTime START = LocalTime.of(7, 30);
    private static final int MINUTES = 180;

    @Test
    void theRuleFilePassesPromtoolsCheck() {
        Promtool.Result check = Promtool.run(null, "check", "rules", RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void thePrometheusRuleCarriesTheSameGroups() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
        Map<String, Object> prometheusRule = new Yaml().load(Files.readString(Path.of("k8s/monitoring/prometheusrule.yaml")));
        assertThat(prometheusRule.get("kind")).isEqualTo("PrometheusRule");
        assertThat(((Map<?, ?>) prometheusRule.get("spec")).get("groups")).isEqualTo(rules.get("groups"));
    }

    @Test
    void theAlertsFireOnTradingMorningsWithoutATokenAndWhenEveryReplicaIsDown(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        List<Map<String, Object>> tests = new ArrayList<>();
        // Tuesday 8 Dec: 08:30 IST is 45 minutes early, 09:00 is 15 minutes before the open, 10:00 is trading.
        tests.add(morning("a trading day without a token", LocalDate.of(2026, 12, 8), 0,
                Map.of(60, false, 90, true, 150, true)));
        tests.add(morning("a trading day with a token", LocalDate.of(2026, 12, 8), 1, Map.of(90, false, 150, false)));
        tests.add(morning("a Saturday", LocalDate.of(2026, 12, 5), 0, Map.of(90, false, 150, false)));
        tests.add(morning("a listed holiday (KITE_HOLIDAYS)", LocalDate.of(2026, 12, 7), 0, Map.of(90, false, 150, false)));
        tests.add(morning("a weekend special session (KITE_SPECIAL_SESSIONS)", LocalDate.of(2026, 12, 6), 0, Map.of(90, true)));
        tests.add(everyReplicaDown());

        Map<String, Object> file = new LinkedHashMap<>();
        file.put("rule_files", List.of(RULES.toAbsolutePath().toString()));
        file.put("evaluation_interval", "1m");
        file.put("tests", tests);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path testFile = dir.resolve("kite-token-service.rules.test.yaml");
        Files.writeString(testFile, new Yaml(options).dump(file));

        Promtool.Result result = Promtool.run(null, "test", "rules", testFile.toString());
        assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /** Two replicas through a morning of {@code day}, the first holding a token or not; the second never has one. */
    private static Map<String, Object> morning(String name, LocalDate day, int tokenOnFirst, Map<Integer, Boolean> firesAt) {
        Instant start = day.atTime(START).atZone(IST).toInstant();
        List<Map<String, Object>> series = new ArrayList<>();
        for (String replica : List.of("a", "b")) {
            int token = replica.equals("a") ? tokenOnFirst : 0;
            series.add(series("kite_token_present", replica, minute -> token));
            series.add(series("kite_trading_day", replica, minute -> SCHEDULE.isTradingDay(at(start, minute)) ? 1 : 0));
            series.add(series("kite_until_market_open_seconds", replica, minute -> SCHEDULE.secondsUntilMarketOpen(at(start, minute))));
        }
        List<Map<String, Object>> checks = new ArrayList<>();
        firesAt.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(check ->
                checks.add(alertTest(check.getKey() + "m", "KiteNoTokenBeforeMarketOpen", check.getValue())));
        checks.add(alertTest("150m", "KiteTokenServiceDown", false));
        return test(name + " (" + day.getDayOfWeek() + " " + day + ")", series, checks);
    }

    private static Map<String, Object> everyReplicaDown() {
        // Nothing of the service is scraped: the targets are down, so only up (0) exists.
        List<Map<String, Object>> series = List.of(
                Map.of("series", "up{job=\"kite-token-service\",instance=\"a\"}", "values", "0x30"),
                Map.of("series", "up{job=\"kite-token-service\",instance=\"b\"}", "values", "0x30"));
        return test("every replica down", series, List.of(alertTest("1m", "KiteTokenServiceDown", false),
                alertTest("5m", "KiteTokenServiceDown", true), alertTest("5m", "KiteNoTokenBeforeMarketOpen", false)));
    }

    private static Map<String, Object> test(String name, List<Map<String, Object>> series, List<Map<String, Object>> checks) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("name", name);
        test.put("interval", "1m");
        test.put("input_series", series);
        test.put("alert_rule_test", checks);
        return test;
    }

    private static Map<String, Object> series(String metric, String replica, Function<Integer, Number> valueAtMinute) {
        StringBuilder values = new StringBuilder();
        for (int minute = 0; minute < MINUTES; minute++) {
            values.append(minute == 0 ? "" : " ").append(valueAtMinute.apply(minute));
        }
        return Map.of("series", metric + "{job=\"kite-token-service\",instance=\"" + replica + "\"}", "values", values.toString());
    }

    private static Map<String, Object> alertTest(String evalTime, String alert, boolean fires) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("eval_time", evalTime);
        check.put("alertname", alert);
        check.put("exp_alerts", fires ? List.of(Map.of("exp_labels", labels(alert), "exp_annotations", annotations(alert))) : List.of());
        return check;
    }

    private static Instant at(Instant start, int minute) {
        return start.plus(Duration.ofMinutes(minute));
    }

    private static Object labels(String alert) {
        return rule(alert).get("labels");
    }

    private static Object annotations(String alert) {
        return rule(alert).get("annotations");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rule(String alert) {
        Map<String, Object> rules;
        try {
            rules = new Yaml().load(Files.readString(RULES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (alert.equals(rule.get("alert"))) {
                    return rule;
                }
            }
        }
        throw new AssertionError("no alert " + alert + " in " + RULES);
    }

}
