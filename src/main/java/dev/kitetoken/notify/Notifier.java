package dev.kitetoken.notify;

import static dev.kitetoken.redis.RedisCalls.call;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.jboss.logging.Logger;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * Sends a notice to every channel, once across all replicas: the replica whose {@code SET NX} on the
 * occasion's key succeeds sends it. Each channel is tried again with back-off (KITE_NOTIFY_RETRY_DELAY,
 * doubling up to a minute, for 5 minutes) without blocking anything; what still fails is logged and counted.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);
    /** Long enough to outlive any occasion (a day's reminders, a token's life), short enough to clean up. */
    private static final Duration CLAIM_TTL = Duration.ofDays(2);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);

    private final List<NotificationChannel> channels;
    private final RedisDataSource redis;
    private final RedisKeys keys;
    private final KiteMetrics metrics;
    private final Duration retryDelay;

    Notifier(List<NotificationChannel> channels, RedisDataSource redis, RedisKeys keys, KiteMetrics metrics, KiteConfig config) {
        this.channels = channels;
        this.redis = redis;
        this.keys = keys;
        this.metrics = metrics;
        this.retryDelay = config.notifyRetryDelay();
    }

    /** Whether any channel is configured. */
    public boolean enabled() {
        return !channels.isEmpty();
    }

    /**
     * Sends the notice unless another replica (or this one) already has. Throws RedisUnavailableException
     * when the claim cannot be made; nothing is sent then.
     */
    public boolean sendOnce(Notice notice) {
        if (channels.isEmpty()) {
            return false;
        }
        boolean claimed = call("claim a notification", () -> redis.execute("SET", keys.notice(notice.occasion()), "1",
                "NX", "EX", Long.toString(CLAIM_TTL.toSeconds()))) != null;
        if (claimed) {
            for (NotificationChannel channel : channels) {
                deliver(channel, notice);
            }
        }
        return claimed;
    }

    private void deliver(NotificationChannel channel, Notice notice) {
        TypedGuard<CompletionStage<Void>> retrying = TypedGuard.create(new TypeLiteral<CompletionStage<Void>>() {
        })
                .withDescription("notification via " + channel.name())
                .withRetry()
                .maxRetries(Integer.MAX_VALUE)
                .maxDuration(GIVE_UP_AFTER.toMillis(), ChronoUnit.MILLIS)
                .delay(retryDelay.toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(60_000, ChronoUnit.MILLIS).done()
                .whenException(failure -> !NotificationChannel.DeliveryFailed.of(failure).permanent())
                .beforeRetry(failure -> {
                    metrics.notification(channel.name(), "retried");
                    LOG.debugf("Notification %s via %s failed (%s): trying again", notice.occasion(), channel.name(),
                            NotificationChannel.DeliveryFailed.of(failure).getMessage());
                })
                .done()
                .build();
        retrying.get(() -> channel.send(notice)).whenComplete((ignored, failure) -> {
            if (failure == null) {
                metrics.notification(channel.name(), "sent");
                LOG.infof("Notification %s sent via %s", notice.occasion(), channel.name());
            } else {
                metrics.notification(channel.name(), "failed");
                LOG.warnf("Notification %s not delivered via %s: %s", notice.occasion(), channel.name(),
                        NotificationChannel.DeliveryFailed.of(failure).getMessage());
            }
        });
    }
}
