package dev.kitetoken.login;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.kitetoken.config.KiteConfig;

/** Starts a login: sends the browser to Kite with a fresh state nonce that Kite hands back to the callback. */
@Path("/login")
public class LoginResource {

    private final LoginStateStore states;
    private final KiteConfig config;

    LoginResource(LoginStateStore states, KiteConfig config) {
        this.states = states;
        this.config = config;
    }

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
                .build();
    }
}
