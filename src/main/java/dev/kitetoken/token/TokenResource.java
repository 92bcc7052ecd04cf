package dev.kitetoken.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.auth.AdminAuthenticated;
import dev.kitetoken.auth.ReaderAuthenticated;
import dev.kitetoken.auth.ReaderOrAdminAuthenticated;
import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.events.TokenEventBus;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.web.ApiDefinition;
import dev.kitetoken.web.Problem;
import dev.kitetoken.web.ProblemException;
import dev.kitetoken.web.ResponseFormat;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/** The token for trading pods' sidecars: read it, follow its rotations, report it dead, log it out. */
@Path("/token")
@Tag(name = "Token")
public class TokenResource {

    private static final String TOKEN_EXAMPLE = """
            {"access_token":"<the token>","api_key":"abcd1234","user_id":"AB1234","user_name":"A Trader",
             "login_time":"2026-11-28T09:14:03+05:30","expires_at":"2026-11-29T06:00:00+05:30","token_id":"4d42183b950a4e7c"}""";
    private static final String EVENT_EXAMPLE = """
            {"type":"invalidated","api_key":"abcd1234","user_id":"AB1234","token_id":"4d42183b950a4e7c",
             "reason":"relogin","at":"2026-11-28T09:20:11+05:30","expires_at":"2026-11-29T06:00:00+05:30"}""";

    static final int MAX_WAIT_SECONDS = 60;
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("[A-Za-z0-9]{1,256}");

    private final TokenCache cache;
    private final TokenInvalidation invalidation;
    private final TokenEventBus bus;
    private final KiteConfig config;
    private final KiteMetrics metrics;

    TokenResource(TokenCache cache, TokenInvalidation invalidation, TokenEventBus bus, KiteConfig config,
            KiteMetrics metrics) {
        this.cache = cache;
        this.invalidation = invalidation;
        this.bus = bus;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The current token. With {@code If-None-Match: "<token_id>"} it answers 304 while that is still the
     * token; adding {@code ?wait=<seconds>} holds the request until the token changes (200 with the new
     * one, 404 at once if the named token ends with no successor) or the wait is over (304, or 404 when
     * there is none). No thread is held while waiting.
     */
    @GET
    @ReaderAuthenticated
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    @Operation(summary = "The current access token",
            description = "JSON, or the bare token with Accept: text/plain. With If-None-Match and wait, held until the token changes.")
    @SecurityRequirement(name = ApiDefinition.READER)
    @APIResponse(responseCode = "200", description = "The current token; ETag is its token_id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class),
                    examples = @ExampleObject(name = "token", value = TOKEN_EXAMPLE)))
    @APIResponse(responseCode = "304", description = "The token named in If-None-Match is still the current one")
    @APIResponse(responseCode = "400", description = "wait is not a whole number of seconds from 0 to 60")
    @APIResponse(responseCode = "401", description = "No reader bearer secret")
    @APIResponse(responseCode = "404", description = "No valid token: someone must log in",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "none", value = ApiDefinition.PROBLEM_EXAMPLE)))
    public Uni<Response> token(
            @Parameter(description = "\"<token_id>\" of the token the caller has", example = "\"4d42183b950a4e7c\"")
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @Parameter(description = "Seconds to hold the request until the token changes (0 to 60)", example = "60")
            @QueryParam("wait") String wait,
            HttpHeaders headers) {
        Duration waitFor = parseWait(wait);
        Poll poll = new Poll(entityTag(ifNoneMatch), System.nanoTime() + waitFor.toNanos(),
                ResponseFormat.prefersPlainText(headers), Vertx.currentContext());
        return answer(poll, false);
    }

    /**
     * One GET /token: the token the caller has (If-None-Match), until when it may wait, which body it
     * wants, and the Vert.x context of its connection, where it continues once woken.
     */
    private record Poll(String named, long deadline, boolean plain, Context context) {
    }

    /**
     * A woken long-poll continues on its own connection's event loop: a thousand of them woken by one
     * token change then answer on every core, not one after the other on the thread that woke them.
     */
    private static Executor wakeOn(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    @GET
    @Path("events")
    @ReaderAuthenticated
    @Operation(summary = "Every token event, as Server-Sent Events", description = "One JSON event per data: line, from the moment of connection.")
    @SecurityRequirement(name = ApiDefinition.READER)
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = TokenEvent.class),
                    examples = @ExampleObject(name = "relogin", value = EVENT_EXAMPLE)))
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(Sse sse) {
        Multi<OutboundSseEvent> events = bus.events().onOverflow().buffer(1_000)
                .map(event -> sse.newEventBuilder().mediaType(MediaType.APPLICATION_JSON_TYPE).data(TokenEvent.class, event).build());
        // A token event may not come for hours; proxies close a stream that stays quiet for a minute or so.
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(config.eventsKeepAlive())
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(events, keepAlive);
    }

    @POST
    @Path("invalidate")
    @ReaderOrAdminAuthenticated
    @Operation(summary = "Report a token that Kite rejected",
            description = "Ends the token only if it is still the current one and Kite confirms it is dead (compare-and-delete).")
    @SecurityRequirement(name = ApiDefinition.READER)
    @SecurityRequirement(name = ApiDefinition.ADMIN)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "by token_id", value = "{\"token_id\": \"4d42183b950a4e7c\"}"),
            @ExampleObject(name = "by token", value = "{\"access_token\": \"<the token the pod used>\"}") }))
    @APIResponse(responseCode = "200", description = "What was decided",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvalidationResult.class), examples = {
                    @ExampleObject(name = "invalidated", value = "{\"invalidated\": true, \"token_id\": \"4d42183b950a4e7c\"}"),
                    @ExampleObject(name = "stale report", value = "{\"invalidated\": false, \"token_id\": \"4d42183b950a4e7c\", \"current_token_id\": \"9f0c2a7d11e34b58\", \"detail\": \"The reported token is not the current one; read the current token again.\"}") }))
    @APIResponse(responseCode = "400", description = "Not exactly one of token_id or access_token")
    @APIResponse(responseCode = "503", description = "Kite could not confirm; nothing changed")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public InvalidationResult invalidate(JsonNode body) {
        return invalidation.report(reportedTokenId(InvalidationRequest.from(body)));
    }

    @DELETE
    @AdminAuthenticated
    @Operation(summary = "Log the session out", description = "At Kite (DELETE /session/token) and here; publishes invalidated (logout).")
    @SecurityRequirement(name = ApiDefinition.ADMIN)
    @APIResponse(responseCode = "200", description = "Logged out",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvalidationResult.class),
                    examples = @ExampleObject(name = "logout", value = "{\"invalidated\": true, \"token_id\": \"4d42183b950a4e7c\", \"kite_logged_out\": true}")))
    @APIResponse(responseCode = "404", description = "No session to log out")
    @Produces(MediaType.APPLICATION_JSON)
    public InvalidationResult logout() {
        return invalidation.logout();
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
        String named = poll.named();
        String currentId = current.map(t -> t.token().session().tokenId()).orElse(null);
        boolean namedIsCurrent = named != null && named.equals(currentId);
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
                return Uni.createFrom().item(notModified(named));
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
        // handed to the Jackson writer for application/json (measured: a third of the request's CPU).
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

    private static Duration parseWait(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        try {
            int seconds = Integer.parseInt(wait);
            if (seconds >= 0 && seconds <= MAX_WAIT_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(400, "Invalid wait", "wait is a whole number of seconds from 0 to " + MAX_WAIT_SECONDS + ".");
    }

    /** The first tag of an If-None-Match header, without quotes or weakness marker. */
    private static String entityTag(String ifNoneMatch) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return null;
        }
        String first = ifNoneMatch.split(",")[0].strip();
        if (first.startsWith("W/")) {
            first = first.substring(2);
        }
        return first.replace("\"", "");
    }

    private static String reportedTokenId(InvalidationRequest request) {
        if (request == null || (request.tokenId() == null) == (request.accessToken() == null)) {
            throw new ProblemException(400, "Name one token",
                    "Send a JSON body with exactly one of token_id (16 hex characters) or access_token.");
        }
        if (request.tokenId() != null) {
            if (!TOKEN_ID.matcher(request.tokenId()).matches()) {
                throw new ProblemException(400, "Invalid token_id", "token_id is 16 lower-case hex characters.");
            }
            return request.tokenId();
        }
        if (!ACCESS_TOKEN.matcher(request.accessToken()).matches()) {
            throw new ProblemException(400, "Invalid access_token", "access_token is letters and digits.");
        }
        return TokenIds.tokenId(request.accessToken());
    }
}
