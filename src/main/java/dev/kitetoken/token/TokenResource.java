package dev.kitetoken.token;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.kitetoken.auth.ReaderAuthenticated;
import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.web.ProblemException;
import dev.kitetoken.web.ResponseFormat;

/** Hands the current access token to authenticated readers (the sidecars of trading pods). */
@Path("/token")
@ReaderAuthenticated
public class TokenResource {

    private final TokenService tokens;
    private final KiteConfig config;

    TokenResource(TokenService tokens, KiteConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    public Response token(HttpHeaders headers) {
        CurrentToken token = tokens.current().orElseThrow(() -> ProblemException.restartLogin(404, "No valid token",
                "No one has logged in to Kite since the last cutoff, or the token was invalidated. Log in at "
                        + config.loginPageUrl() + "."));
        Response.ResponseBuilder response = Response.ok()
                .header("Cache-Control", "no-store")
                .tag(new EntityTag(token.session().tokenId()));
        if (ResponseFormat.prefersPlainText(headers)) {
            return response.type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(token.accessToken()).build();
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(TokenResponse.of(token)).build();
    }
}
