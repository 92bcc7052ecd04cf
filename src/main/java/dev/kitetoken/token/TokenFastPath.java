package dev.kitetoken.token;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.kitetoken.auth.BearerSecrets;
import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.metrics.KiteMetrics;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The common GET /token (a reader's secret, no If-None-Match, no wait, JSON or plain text, the replica's copy
 * trusted and live) answered on the Vert.x router, ahead of Quarkus REST, whose request pipeline cost about
 * 40% of the throughput (bench/results/2026-12-03-fast-path.md). Every other request goes on to
 * {@link TokenResource}, which owns the contract: the errors, 304s, long-polls and the OpenAPI document.
 * {@code FastPathTest} holds the two answers equal, header by header.
 */
@ApplicationScoped
public class TokenFastPath {

    private static final String PATH = "/token";
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence PLAIN = HttpHeaders.createOptimized("text/plain;charset=UTF-8");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

    private final TokenCache cache;
    private final KiteMetrics metrics;
    private final BearerSecrets readers;
    private final LongAdder answered = new LongAdder();

    TokenFastPath(TokenCache cache, KiteMetrics metrics, KiteConfig config) {
        this.cache = cache;
        this.metrics = metrics;
        this.readers = new BearerSecrets(config.readerTokens().orElse(List.of()));
    }

    void register(@Observes Router router) {
        router.get(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::answer);
    }

    void answer(RoutingContext context) {
        HttpServerRequest request = context.request();
        MultiMap headers = request.headers();
        Boolean plain = request.query() == null && PATH.equals(request.path()) && !headers.contains(HttpHeaders.IF_NONE_MATCH)
                ? plainText(headers.getAll(HttpHeaders.ACCEPT))
                : null;
        Optional<TokenCache.Known> known = plain != null && readers.admits(headers.get(HttpHeaders.AUTHORIZATION))
                ? cache.fromMemory()
                : Optional.empty();
        if (known.isEmpty() || known.get().current().isEmpty()) {
            context.next();
            return;
        }
        TokenCache.Cached cached = known.get().current().get();
        metrics.tokenServed();
        answered.increment();
        context.response()
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .putHeader(HttpHeaders.ETAG, cached.etagHeader())
                .putHeader(HttpHeaders.CONTENT_TYPE, plain ? PLAIN : JSON)
                .end(Buffer.buffer(plain ? cached.plain() : cached.json()));
    }

    /** How many requests this path answered (the rest went on to Quarkus REST). */
    long answered() {
        return answered.sum();
    }

    /**
     * True for the bare token, false for JSON, null for any Accept header left to Quarkus REST's negotiation:
     * only none, {@code *}{@code /*}, {@code application/json} and {@code text/plain} are decided here.
     */
    static Boolean plainText(List<String> accept) {
        if (accept.isEmpty()) {
            return false;
        }
        if (accept.size() > 1) {
            return null;
        }
        return switch (accept.get(0).strip()) {
            case "*/*", "application/json" -> false;
            case "text/plain" -> true;
            default -> null;
        };
    }
}
