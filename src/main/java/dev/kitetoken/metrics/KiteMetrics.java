package dev.kitetoken.metrics;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every metric the service publishes, named in one place (Prometheus names in docs/operations.md). Tags carry
 * outcomes and kinds only, never a token, a user input or a credential.
 */
@ApplicationScoped
public class KiteMetrics {

    private final MeterRegistry registry;
    // GET /token is the hot path: its counters are resolved once.
    private final Counter tokenServed;
    private final Counter tokenNotModified;
    private final Counter tokenNotFound;

    KiteMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.tokenServed = tokenRequests("served");
        this.tokenNotModified = tokenRequests("not_modified");
        this.tokenNotFound = tokenRequests("not_found");
    }

    /** kite_exchanges_total{result}: success, or the failure that ended the exchange. */
    public void exchange(String result) {
        registry.counter("kite.exchanges", "result", result).increment();
    }

    /** kite_token_requests_total{outcome}: GET /token answers by outcome. */
    public void tokenServed() {
        tokenServed.increment();
    }

    public void tokenNotModified() {
        tokenNotModified.increment();
    }

    public void tokenNotFound() {
        tokenNotFound.increment();
    }

    /** kite_events_published_total{type,reason}: events this replica published. */
    public void eventPublished(String type, String reason) {
        registry.counter("kite.events.published", "type", type, "reason", reason).increment();
    }

    /** kite_invalidation_reports_total{outcome}: what POST /token/invalidate decided. */
    public void report(String outcome) {
        registry.counter("kite.invalidation.reports", "outcome", outcome).increment();
    }

    /** kite_auth_failures_total{required,reason}: refused bearer credentials, never the value presented. */
    /** A notification's delivery on one channel: sent, retried (one more try) or failed (given up). */
    public void notification(String channel, String outcome) {
        registry.counter("kite.notifications", "channel", channel, "outcome", outcome).increment();
    }

    public void authFailure(String required, String reason) {
        registry.counter("kite.auth.failures", "required", required, "reason", reason).increment();
    }

    /** kite_calls_seconds{call,outcome}: the latency of each call to Kite. */
    public <T> T timeKiteCall(String call, Supplier<T> request) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            T result = request.get();
            outcome = "answered";
            return result;
        } finally {
            sample.stop(registry.timer("kite.calls", "call", call, "outcome", outcome));
        }
    }

    private Counter tokenRequests(String outcome) {
        return registry.counter("kite.token.requests", "outcome", outcome);
    }
}
