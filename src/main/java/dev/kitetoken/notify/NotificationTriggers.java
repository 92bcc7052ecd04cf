package dev.kitetoken.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.events.TokenEventBus;
import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.TokenService;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * What makes people hear from the service: no session when a reminder is due on a trading day, a token
 * ended during a trading day other than at the cutoff (every replica hears the event; one claims it), and,
 * when asked for, each login.
 */
@ApplicationScoped
public class NotificationTriggers {

    private static final Logger LOG = Logger.getLogger(NotificationTriggers.class);
    /** The ends nobody planned: the cutoff is expected (the reminder covers it), a re-login brings a new token. */
    private static final Set<String> UNPLANNED_ENDS = Set.of(TokenEvent.REASON_LOGOUT, TokenEvent.REASON_REPORTED,
            TokenEvent.REASON_KITE_REJECTED);

    private final Notifier notifier;
    private final ReminderSchedule schedule;
    private final TokenService tokens;
    private final TokenEventBus bus;
    private final KiteConfig config;
    private final Clock clock;
    /** The last reminder time this replica settled (sent, claimed elsewhere, or a session was there). */
    private volatile ZonedDateTime settled;

    NotificationTriggers(Notifier notifier, ReminderSchedule schedule, TokenService tokens, TokenEventBus bus,
            KiteConfig config, Clock clock) {
        this.notifier = notifier;
        this.schedule = schedule;
        this.tokens = tokens;
        this.bus = bus;
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        if (notifier.enabled()) {
            // Claims read Redis: off the thread that delivers the events.
            bus.events().emitOn(Infrastructure.getDefaultWorkerPool()).subscribe().with(this::onEvent,
                    failure -> LOG.errorf("Notifications stopped following events: %s", failure.getClass().getSimpleName()));
        }
    }

    @Scheduled(identity = "kite-reminders", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void remindIfDue() {
        if (!notifier.enabled()) {
            return;
        }
        Instant now = clock.instant();
        ZonedDateTime due = schedule.due(now).orElse(null);
        if (due == null || due.equals(settled)) {
            return;
        }
        try {
            if (tokens.currentSession().isEmpty()) {
                ZonedDateTime marketOpen = due.with(schedule.marketOpen());
                notifier.sendOnce(Notices.reminder(due, loginUrl(), marketOpen));
            }
            settled = due;
        } catch (RedisUnavailableException e) {
            LOG.debugf("Reminder of %s not settled yet: %s", due, e.getMessage());
        }
    }

    void onEvent(TokenEvent event) {
        try {
            noticeOf(event).ifPresent(notifier::sendOnce);
        } catch (RedisUnavailableException e) {
            LOG.warnf("Notification of token %s not sent: Redis is unavailable to claim it (%s)", event.tokenId(), e.getMessage());
        } catch (RuntimeException e) {
            // One event that cannot be told must not end the subscription that carries every later one.
            LOG.errorf("Notification of token %s not sent: %s", event.tokenId(), e.getClass().getSimpleName());
        }
    }

    private Optional<Notice> noticeOf(TokenEvent event) {
        Instant now = clock.instant();
        if (event.endsToken() && UNPLANNED_ENDS.contains(event.reason()) && schedule.isTradingDay(now)) {
            return Optional.of(Notices.ended(event, loginUrl(), now, config.expiryZone()));
        }
        if (TokenEvent.ISSUED.equals(event.type()) && TokenEvent.REASON_LOGIN.equals(event.reason()) && config.notifyOnLogin()) {
            return Optional.of(Notices.loggedIn(event, loginUrl(), now, config.expiryZone()));
        }
        return Optional.empty();
    }

    private String loginUrl() {
        return config.loginPageUrl().toString();
    }
}
