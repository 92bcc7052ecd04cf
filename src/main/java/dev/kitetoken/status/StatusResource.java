package dev.kitetoken.status;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.events.EventLog;
import dev.kitetoken.notify.Notifier;
import dev.kitetoken.notify.ReminderSchedule;
import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.StoredSession;
import dev.kitetoken.token.TokenCache;
import dev.kitetoken.token.TokenService;
import dev.kitetoken.web.ExpiryText;
import dev.kitetoken.web.PageEvent;
import dev.kitetoken.web.Pages;

/**
 * The page a person opens, public through the Ingress: is there a session, until when, and a button to log
 * in, when the next reminder goes out if nobody logs in, and the last few events (what and when). The user_id
 * masked; never the name, the token or its token_id.
 */
@Tag(name = "Login")
@Path("/")
public class StatusResource {

    /** A day's worth, at a login and a cutoff a day. */
    private static final int RECENT_EVENTS = 5;

    private final TokenService tokens;
    private final KiteConfig config;
    private final Clock clock;
    private final EventLog events;
    private final Notifier notifier;
    private final ReminderSchedule reminders;
    private final TokenCache cache;

    StatusResource(TokenService tokens, KiteConfig config, Clock clock, EventLog events, Notifier notifier,
            ReminderSchedule reminders, TokenCache cache) {
        this.cache = cache;
        this.events = events;
        this.notifier = notifier;
        this.reminders = reminders;
        this.tokens = tokens;
        this.config = config;
        this.clock = clock;
    }

    @Operation(summary = "Status page", description = "Whether a session is active and until when (the user_id masked), or a Log in button. Never the token.")
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response status() {
        Instant now = clock.instant();
        Optional<StoredSession> session;
        List<PageEvent> recent;
        boolean redisUp = true;
        try {
            session = tokens.currentSession();
            recent = events.recent(RECENT_EVENTS).stream()
                    .map(e -> PageEvent.of(e.type(), e.reason(), ExpiryText.when(e.at(), now, config.expiryZone()), config.expiryTime()))
                    .toList();
        } catch (RedisUnavailableException e) {
            // What this replica still serves (the last token it knew), and a login still works: say so.
            session = cache.withoutReading().map(cached -> cached.token().session());
            recent = List.of();
            redisUp = false;
        }
        StoredSession s = session.orElse(null);
        String nextReminder = notifier.enabled()
                ? ExpiryText.when(reminders.next(now).toOffsetDateTime().toString(), now, config.expiryZone())
                : null;
        String page = Pages.status(redisUp, s == null ? null : MaskedUserId.of(s.userId()),
                s == null ? null : ExpiryText.of(s.expiresAt(), now, config.expiryZone()),
                config.loginPageUrl().toString(), nextReminder, recent).render();
        return Response.ok().header("Cache-Control", "no-store").entity(page).build();
    }
}
