package dev.kitetoken.metrics;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one known, harmless start-up warning: Quarkus registers the Redis client's pool and connection gauges
 * twice for the same client, and Micrometer warns "This Gauge has been already registered" on every start
 * (the same upstream fault as quarkusio/quarkus#47504 for SQL clients; the first registration works). Every
 * other Micrometer warning still shows.
 */
@LoggingFilter(name = "known-duplicate-gauges")
public final class KnownDuplicateGauges implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return !("io.micrometer.core.instrument.MeterRegistry".equals(record.getLoggerName()) && message != null
                && message.startsWith("This Gauge has been already registered (MeterId{name='redis."));
    }
}
