package dev.kitetoken.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.events.TokenEventBus;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;

/**
 * One GET /token from its arrival to its answer: from memory at once, or held until the token changes or
 * the wait is over. No thread is held while waiting.
 */
@ApplicationScoped
public class LongPoll {

    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final TokenCache cache;
    private final TokenEventBus bus;
    private final KiteConfig config;
    private final KiteMetrics metrics;

    LongPoll(TokenCache cache, TokenEventBus bus, KiteConfig config, KiteMetrics metrics) {
        this.cache = cache;
        this.bus = bus;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The answer for a caller that has {@code named} (or nothing), may wait {@code waitFor}, and wants the
     * plain or JSON body; {@code context} is its connection's, where it continues once woken.
     */
    Uni<Response> answer(EntityTags named, Duration waitFor, boolean plain, Context context) {
        return answer(new Poll(named, System.nanoTime() + waitFor.toNanos(), plain, context), false);
    }

    /**
     * One GET /token: the token the caller has (If-None-Match), until when it may wait, which body it
     * wants, and the Vert.x context of its connection, where it continues once woken.
     */
    private record Poll(EntityTags named, long deadline, boolean plain, Context context) {
    }

    /**
     * A woken long-poll continues on its own connection's event loop: a thousand of them woken by one
     * token change then answer on every core, not one after the other on the thread that woke them.
     */
    private static Executor wakeOn(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /**
     * Runs on the event loop: from memory it answers there and then (the common case, no thread hop);
     * when memory cannot be trusted it reads Redis on a worker thread, since that read blocks.
     */
    private Uni<Response> answer(Poll poll, boolean namedWasCurrent) {
        // Taken before the read, so that a change in between wakes us instead of being missed; and only
        // when there is time left to wait, so a plain GET does no more than read.
        TokenEventBus.Change change = poll.deadline() - System.nanoTime() > 0 ? bus.nextChange() : null;
        Optional<TokenCache.Known> known = cache.fromMemory();
        if (known.isPresent()) {
            return decide(poll, known.get().current(), namedWasCurrent, change);
        }
        return Uni.createFrom().item(cache::current)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(() -> release(change))
                .onCancellation().invoke(() -> release(change))
                .chain(current -> decide(poll, current, namedWasCurrent, change));
    }

    private Uni<Response> decide(Poll poll, Optional<TokenCache.Cached> current, boolean namedWasCurrent,
            TokenEventBus.Change change) {
        Optional<Duration> left = waitLeft(poll.deadline(), System.nanoTime());
        EntityTags named = poll.named();
        String currentId = current.map(t -> t.token().session().tokenId()).orElse(null);
        boolean namedIsCurrent = named != null && named.match(currentId);
        boolean answerNow = (current.isPresent() && !namedIsCurrent) || (namedWasCurrent && current.isEmpty())
                || change == null || left.isEmpty();
        if (answerNow) {
            release(change);
        }
        if (current.isPresent() && !namedIsCurrent) {
            metrics.tokenServed();
            return Uni.createFrom().item(ok(current.get(), poll.plain()));
        }
        if (answerNow) {
            if (namedIsCurrent) {
                metrics.tokenNotModified();
                return Uni.createFrom().item(notModified(currentId));
            }
            metrics.tokenNotFound();
            return Uni.createFrom().failure(noToken());
        }
        boolean wasCurrent = namedWasCurrent || namedIsCurrent;
        // However the wait ends (woken, timed out, the client gone and the subscription cancelled), the
        // waiter leaves the bus: sidecars poll all day, and nothing of an ended wait may stay behind.
        return Uni.createFrom().completionStage(change.wake())
                .ifNoItem().after(left.get()).recoverWithItem((Void) null)
                .onTermination().invoke(change::close)
                .emitOn(wakeOn(poll.context()))
                .chain(() -> answer(poll, wasCurrent));
    }

    /**
     * What is left of a wait, in whole milliseconds, or nothing when under 1 ms is left. On the event loop
     * the wait is a Vert.x timer, which throws for delays under 1 ms (the request was then never answered),
     * and a timer may fire a fraction of a millisecond before the deadline it was armed for.
     */
    static Optional<Duration> waitLeft(long deadlineNanos, long nowNanos) {
        long left = deadlineNanos - nowNanos;
        return left < MIN_WAIT_NANOS ? Optional.empty() : Optional.of(Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(left)));
    }

    private static void release(TokenEventBus.Change change) {
        if (change != null) {
            change.close();
        }
    }

    private static final MediaType PLAIN_UTF8 = MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8");

    private static Response ok(TokenCache.Cached cached, boolean plain) {
        // A Vert.x Buffer over the pre-rendered bytes goes to the connection as it is; a String would be
        // handed to the Jackson writer for application/json, a third of the request's CPU.
        return Response.ok()
                .header("Cache-Control", "no-store")
                .tag(cached.etag())
                .type(plain ? PLAIN_UTF8 : MediaType.APPLICATION_JSON_TYPE)
                .entity(Buffer.buffer(plain ? cached.plain() : cached.json()))
                .build();
    }

    private static Response notModified(String tokenId) {
        return Response.notModified(new EntityTag(tokenId)).header("Cache-Control", "no-store").build();
    }

    private ProblemException noToken() {
        return ProblemException.restartLogin(404, "No valid token",
                "No one has logged in to Kite since the last cutoff, or the token was invalidated. Log in at "
                        + config.loginPageUrl() + ".");
    }

}
