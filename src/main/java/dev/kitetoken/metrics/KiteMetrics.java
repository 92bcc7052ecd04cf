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
        counter("kite.exchanges", "Token exchanges at Kite by the callbacks of this replica, by result", "result", result).increment();
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
        counter("kite.events.published", "Events this replica published, by type and reason", "type", type, "reason", reason).increment();
    }

    /** kite_invalidation_reports_total{outcome}: what POST /token/invalidate decided. */
    public void report(String outcome) {
        counter("kite.invalidation.reports", "POST /token/invalidate reports, by what was decided", "outcome", outcome).increment();
    }

    /** kite_notifications_total{channel,outcome}: a notification's delivery on one channel. */
    public void notification(String channel, String outcome) {
        counter("kite.notifications", "Notification deliveries by channel: sent, retried (one more try) or failed (given up)", "channel", channel, "outcome", outcome).increment();
    }

    /** kite_auth_failures_total{required,reason}: refused bearer credentials, never the value presented. */
    public void authFailure(String required, String reason) {
        counter("kite.auth.failures", "Refused bearer credentials, by the role required and the reason (never the value presented)", "required", required, "reason", reason).increment();
    }

    /** kite_peer_handoffs_total{outcome}: logins this replica could not write to Redis, handed to a peer. */
    public void peerHandOff(String outcome) {
        counter("kite.peer.handoffs", "Logins this replica could not write to Redis, by what the peers did: stored, superseded or none_could", "outcome", outcome).increment();
    }

    /** kite_peer_offers_total{outcome}: a kept login offered to one peer, which keeps it for write-back too. */
    public void peerOffer(String outcome) {
        counter("kite.peer.offers", "Kept logins offered to peers, one per peer: kept or failed", "outcome", outcome).increment();
    }

    /** kite_peer_requests_total{mode,outcome}: what this replica did with a peer's login. */
    public void peerRequest(String mode, String outcome) {
        counter("kite.peer.requests", "Logins other replicas handed to this one (store) or offered it (keep), by outcome", "mode", mode, "outcome", outcome).increment();
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
            sample.stop(Timer.builder("kite.calls").description("Latency of each call to Kite, by call and outcome")
                    .tags("call", call, "outcome", outcome).register(registry));
        }
    }

    /** Every kite_* metric carries help text: Prometheus' linter (promtool check metrics) asks for it. */
    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private Counter tokenRequests(String outcome) {
        return counter("kite.token.requests", "GET /token answers, by outcome", "outcome", outcome);
    }
}
