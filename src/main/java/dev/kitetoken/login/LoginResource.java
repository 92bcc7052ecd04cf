package dev.kitetoken.login;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.kitetoken.config.KiteConfig;

/** Starts a login: sends the browser to Kite with a fresh signed state that Kite hands back to the callback. Writes nothing to Redis. */
@Tag(name = "Login")
@Path("/login")
public class LoginResource {

    private final LoginStateStore states;
    private final KiteConfig config;

    LoginResource(LoginStateStore states, KiteConfig config) {
        this.states = states;
        this.config = config;
    }

    @Operation(summary = "Start a login", description = "Redirects the browser to Kite's login page with a fresh, single-use state.")
    @APIResponse(responseCode = "302", description = "To Kite's login page")
    @GET
    public Response login() {
        String state = states.issue();
        String loginUrl = config.loginUrl().toString();
        // Kite decodes redirect_params once and appends its pairs to the callback URL, so it is encoded once here.
        String target = loginUrl + (loginUrl.contains("?") ? "&" : "?")
                + "v=3&api_key=" + URLEncoder.encode(config.requiredApiKey(), StandardCharsets.UTF_8)
                + "&redirect_params=" + URLEncoder.encode("state=" + state, StandardCharsets.UTF_8);
        return Response.status(Response.Status.FOUND)
                .location(URI.create(target))
                .header("Cache-Control", "no-store")
                .cookie(LoginCookie.issue(state, config.publicUrl()))
                .build();
    }
}
