package dev.kitetoken.token;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
import dev.kitetoken.web.ApiDefinition;
import dev.kitetoken.web.Problem;
import dev.kitetoken.web.ResponseFormat;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** The token for trading pods' sidecars: read it, follow its rotations, report it dead, log it out. */
@Path("/token")
@Tag(name = "Token")
public class TokenResource {

    private final LongPoll longPoll;
    private final TokenInvalidation invalidation;
    private final TokenEventBus bus;
    private final KiteConfig config;

    TokenResource(LongPoll longPoll, TokenInvalidation invalidation, TokenEventBus bus, KiteConfig config) {
        this.longPoll = longPoll;
        this.invalidation = invalidation;
        this.bus = bus;
        this.config = config;
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
                    examples = @ExampleObject(name = "token", value = TokenApiExamples.TOKEN)))
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
        return longPoll.answer(EntityTags.parse(ifNoneMatch), TokenRequests.waitFor(wait),
                ResponseFormat.prefersPlainText(headers), Vertx.currentContext());
    }

    @GET
    @Path("events")
    @ReaderAuthenticated
    @Operation(summary = "Every token event, as Server-Sent Events", description = "One JSON event per data: line, from the moment of connection.")
    @SecurityRequirement(name = ApiDefinition.READER)
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = TokenEvent.class),
                    examples = @ExampleObject(name = "relogin", value = TokenApiExamples.EVENT)))
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
            @ExampleObject(name = "by token_id", value = TokenApiExamples.REPORT_BY_TOKEN_ID),
            @ExampleObject(name = "by token", value = TokenApiExamples.REPORT_BY_TOKEN) }))
    @APIResponse(responseCode = "200", description = "What was decided",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvalidationResult.class), examples = {
                    @ExampleObject(name = "invalidated", value = TokenApiExamples.INVALIDATED),
                    @ExampleObject(name = "stale report", value = TokenApiExamples.STALE_REPORT) }))
    @APIResponse(responseCode = "400", description = "Not exactly one of token_id or access_token")
    @APIResponse(responseCode = "503", description = "Kite could not confirm; nothing changed")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public InvalidationResult invalidate(JsonNode body) {
        return invalidation.report(TokenRequests.reportedTokenId(InvalidationRequest.from(body)));
    }

    @DELETE
    @AdminAuthenticated
    @Operation(summary = "Log the session out", description = "At Kite (DELETE /session/token) and here; publishes invalidated (logout).")
    @SecurityRequirement(name = ApiDefinition.ADMIN)
    @APIResponse(responseCode = "200", description = "Logged out",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvalidationResult.class),
                    examples = @ExampleObject(name = "logout", value = TokenApiExamples.LOGGED_OUT)))
    @APIResponse(responseCode = "404", description = "No session to log out")
    @Produces(MediaType.APPLICATION_JSON)
    public InvalidationResult logout() {
        return invalidation.logout();
    }
}
