package dev.kitetoken.login;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.web.ExpiryText;
import dev.kitetoken.web.Pages;
import dev.kitetoken.web.ProblemException;
import dev.kitetoken.web.ResponseFormat;

/** Where Kite sends the browser back after a login. */
@Tag(name = "Login")
@Path("/callback")
public class CallbackResource {

    private final CallbackService callbacks;
    private final KiteConfig config;
    private final Clock clock;

    CallbackResource(CallbackService callbacks, KiteConfig config, Clock clock) {
        this.callbacks = callbacks;
        this.config = config;
        this.clock = clock;
    }

    @Operation(summary = "Finish a login (Kite's redirect)", description = "Exchanges the request_token once, stores the token, and answers a page (or JSON) naming the user and the expiry, never the token.")
    @APIResponse(responseCode = "200", description = "Logged in", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LoginCompleted.class), examples = @ExampleObject(name = "done", value = "{\"user_id\": \"AB1234\", \"user_name\": \"A Trader\", \"expires_at\": \"2026-11-29T06:00:00+05:30\", \"token_id\": \"4d42183b950a4e7c\"}")))
    @APIResponse(responseCode = "400", description = "Cancelled, malformed request_token, bad state, or a login link that expired")
    @APIResponse(responseCode = "502", description = "Kite refused the exchange or answered garbage")
    @APIResponse(responseCode = "503", description = "Kite's rate limit, or Redis unavailable")
    @APIResponse(responseCode = "504", description = "Kite did not answer within KITE_HTTP_TIMEOUT")
    @GET
    public Response callback(UriInfo uri, HttpHeaders headers) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        String state = single(query, "state");
        boolean loginCookie = LoginCookie.matches(cookieValue(headers, LoginCookie.NAME), state);
        boolean finishedCookie = LoginCookie.matches(cookieValue(headers, LoginCookie.FINISHED_NAME), state);
        // The cookie has done its work once the callback carrying its state is answered, whatever the outcome;
        // what it leaves lets this browser alone reload the answer.
        List<NewCookie> cookies = loginCookie
                ? List.of(LoginCookie.cleared(config.publicUrl()), LoginCookie.finished(state, config.publicUrl()))
                : List.of();
        ExchangeOutcome outcome;
        try {
            outcome = callbacks.complete(single(query, "status"), single(query, "request_token"), state,
                    loginCookie || finishedCookie);
        } catch (ProblemException e) {
            throw e.withCookies(cookies);
        }
        if (!outcome.succeeded()) {
            Map<String, String> retryAfter = outcome.retryAfter() == null ? Map.of() : Map.of("Retry-After", outcome.retryAfter());
            throw new ProblemException(outcome.status(), outcome.title(), outcome.detail(), outcome.offerLogin(), retryAfter)
                    .withCookies(cookies);
        }
        Response.ResponseBuilder response = Response.status(outcome.status()).header("Cache-Control", "no-store")
                .cookie(cookies.toArray(NewCookie[]::new));
        if (ResponseFormat.prefersHtml(headers, "/callback")) {
            ExpiryText expiry = ExpiryText.of(outcome.expiresAt(), clock.instant(), config.expiryZone());
            return response.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Pages.loginComplete(outcome.userId(), outcome.userName(), expiry, outcome.tokenId(),
                            outcome.replicated(), !loginCookie).render())
                    .build();
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new LoginCompleted(outcome.userId(), outcome.userName(), outcome.expiresAt(), outcome.tokenId(),
                        outcome.replicated()))
                .build();
    }

    private static String cookieValue(HttpHeaders headers, String name) {
        jakarta.ws.rs.core.Cookie cookie = headers.getCookies().get(name);
        return cookie == null ? null : cookie.getValue();
    }

    /** A parameter given twice is ambiguous, and Kite never does it: refuse rather than guess. */
    private static String single(MultivaluedMap<String, String> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ProblemException.restartLogin(400, "Repeated parameter",
                    "The callback carries " + name + " more than once. Start the login again at /login.");
        }
        return values.get(0);
    }
}
