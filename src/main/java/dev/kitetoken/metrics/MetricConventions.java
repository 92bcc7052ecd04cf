package dev.kitetoken.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Makes /q/metrics pass Prometheus' own linter (promtool check metrics), whatever library a meter comes from:
 * names and tag names in snake_case (fault tolerance's executionsRunning, the Redis client's clientName), help
 * text on every metric, and no metric whose name or shape the linter refuses (a "_count" gauge, a unit
 * abbreviated as "ns", a long task timer).
 */
@Singleton
public class MetricConventions {

    /** system_cpu_count (a gauge named like a histogram's count) and process_cpu_time_ns_total (an abbreviated unit). */
    private static final Set<String> REFUSED = Set.of("system.cpu.count", "process.cpu.time");
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    @Produces
    @Singleton
    MeterFilter prometheusConventions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                // A long task timer comes out as a summary of _active_count and _duration_sum, names no summary has;
                // what it counts is in the *_active_connections gauges.
                return REFUSED.contains(id.getName()) || id.getType() == Meter.Type.LONG_TASK_TIMER ? MeterFilterReply.DENY
                        : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                List<Tag> tags = id.getTags().stream().map(tag -> Tag.of(snakeCase(tag.getKey()), tag.getValue())).toList();
                String description = id.getDescription() == null || id.getDescription().isBlank()
                        ? "The " + id.getName() + " meter of the library that records it (" + id.getType().name().toLowerCase(Locale.ROOT) + ")"
                        : id.getDescription();
                return new Meter.Id(snakeCase(id.getName()), Tags.of(tags), id.getBaseUnit(), description, id.getType());
            }
        };
    }

    static String snakeCase(String name) {
        Matcher camel = CAMEL.matcher(name);
        return camel.find() ? camel.replaceAll("$1_$2").toLowerCase(Locale.ROOT) : name;
    }
}
