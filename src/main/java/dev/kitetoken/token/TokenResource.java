package dev.kitetoken.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.kitetoken.auth.AdminAuthenticated;
import dev.kitetoken.auth.ReaderAuthenticated;
import dev.kitetoken.auth.ReaderOrAdminAuthenticated;
import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.events.TokenEventBus;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.web.ProblemException;
import dev.kitetoken.web.ResponseFormat;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** The token for trading pods' sidecars: read it, follow its rotations, report it dead, log it out. */
@Path("/token")
public class TokenResource {

    static final int MAX_WAIT_SECONDS = 60;
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("[A-Za-z0-9]{1,256}");

    private final TokenService tokens;
    private final TokenInvalidation invalidation;
    private final TokenEventBus bus;
    private final KiteConfig config;
    private final KiteMetrics metrics;

    TokenResource(TokenService tokens, TokenInvalidation invalidation, TokenEventBus bus, KiteConfig config,
            KiteMetrics metrics) {
        this.tokens = tokens;
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
    @Blocking
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    public Uni<Response> token(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @QueryParam("wait") String wait,
            HttpHeaders headers) {
        Duration waitFor = parseWait(wait);
        String named = entityTag(ifNoneMatch);
        boolean plain = ResponseFormat.prefersPlainText(headers);
        return answer(named, false, System.nanoTime() + waitFor.toNanos(), plain);
    }

    @GET
    @Path("events")
    @ReaderAuthenticated
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<TokenEvent> events() {
        return bus.events().onOverflow().buffer(1_000);
    }

    @POST
    @Path("invalidate")
    @ReaderOrAdminAuthenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public InvalidationResult invalidate(InvalidationRequest request) {
        return invalidation.report(reportedTokenId(request));
    }

    @DELETE
    @AdminAuthenticated
    @Produces(MediaType.APPLICATION_JSON)
    public InvalidationResult logout() {
        return invalidation.logout();
    }

    private Uni<Response> answer(String named, boolean namedWasCurrent, long deadline, boolean plain) {
        // Taken before the read, so that a change in between wakes us instead of being missed; and only
        // when there is time left to wait, so a plain GET does no more than read.
        boolean mayWait = deadline - System.nanoTime() > 0;
        CompletableFuture<Void> change = mayWait ? bus.nextChange() : null;
        Optional<CurrentToken> current = tokens.current();
        String currentId = current.map(t -> t.session().tokenId()).orElse(null);
        boolean namedIsCurrent = named != null && named.equals(currentId);
        if (current.isPresent() && !namedIsCurrent) {
            metrics.tokenServed();
            return Uni.createFrom().item(ok(current.get(), plain));
        }
        long left = deadline - System.nanoTime();
        if ((namedWasCurrent && current.isEmpty()) || !mayWait || left <= 0) {
            if (namedIsCurrent) {
                metrics.tokenNotModified();
                return Uni.createFrom().item(notModified(named));
            }
            metrics.tokenNotFound();
            return Uni.createFrom().failure(noToken());
        }
        boolean wasCurrent = namedWasCurrent || namedIsCurrent;
        return Uni.createFrom().completionStage(change)
                .ifNoItem().after(Duration.ofNanos(left)).recoverWithItem((Void) null)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(() -> answer(named, wasCurrent, deadline, plain));
    }

    private static Response ok(CurrentToken token, boolean plain) {
        Response.ResponseBuilder response = Response.ok()
                .header("Cache-Control", "no-store")
                .tag(new EntityTag(token.session().tokenId()));
        if (plain) {
            return response.type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(token.accessToken()).build();
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(TokenResponse.of(token)).build();
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
