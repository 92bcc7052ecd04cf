package dev.kitetoken.status;

import java.time.Clock;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.StoredSession;
import dev.kitetoken.token.TokenService;
import dev.kitetoken.web.ExpiryText;
import dev.kitetoken.web.Pages;

/**
 * The page a person opens, public through the Ingress: is there a session, until when, and a button to log
 * in. The user_id masked; never the name, the token or its token_id.
 */
@Tag(name = "Login")
@Path("/")
public class StatusResource {

    private final TokenService tokens;
    private final KiteConfig config;
    private final Clock clock;

    StatusResource(TokenService tokens, KiteConfig config, Clock clock) {
        this.tokens = tokens;
        this.config = config;
        this.clock = clock;
    }

    @Operation(summary = "Status page", description = "Whether a session is active and until when (the user_id masked), or a Log in button. Never the token.")
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response status() {
        Optional<StoredSession> session;
        boolean redisUp = true;
        try {
            session = tokens.currentSession();
        } catch (RedisUnavailableException e) {
            session = Optional.empty();
            redisUp = false;
        }
        StoredSession s = session.orElse(null);
        String page = Pages.status(redisUp, s == null ? null : MaskedUserId.of(s.userId()),
                s == null ? null : ExpiryText.of(s.expiresAt(), clock.instant(), config.expiryZone()),
                config.loginPageUrl().toString()).render();
        return Response.status(redisUp ? 200 : 503).header("Cache-Control", "no-store").entity(page).build();
    }
}
