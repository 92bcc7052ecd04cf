package dev.kitetoken.notify;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.kitetoken.calendar.TradingCalendar;
import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.json.JsonCodec;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/** Builds the configured channels (none configured: no notifications) and the reminder schedule from {@link KiteConfig}. */
public class NotificationChannels {

    private static final long CONNECT_TIMEOUT_SECONDS = 5;
    private static final long READ_TIMEOUT_SECONDS = 10;

    @Produces
    @ApplicationScoped
    List<NotificationChannel> channels(KiteConfig config, JsonCodec json) {
        List<NotificationChannel> channels = new ArrayList<>();
        if (config.notifyTelegramBotToken().isPresent() && config.notifyTelegramChatId().isPresent()) {
            String base = config.notifyTelegramApiUrl().toString().replaceFirst("/+$", "");
            URI sendMessage = URI.create(base + "/bot" + config.notifyTelegramBotToken().get().strip() + "/sendMessage");
            channels.add(new TelegramChannel(client(sendMessage), config.notifyTelegramChatId().get().strip(), json));
        }
        for (String url : config.notifyWebhookUrls().orElse(List.of())) {
            if (!url.isBlank()) {
                channels.add(new WebhookChannel(client(URI.create(url.strip())), config.notifyWebhookSecret(), json));
            }
        }
        return List.copyOf(channels);
    }

    @Produces
    @ApplicationScoped
    ReminderSchedule reminderSchedule(KiteConfig config) {
        TradingCalendar calendar = TradingCalendar.of(config.tradingDays(), config.holidays().orElse(List.of()),
                config.specialSessions().orElse(List.of()));
        return new ReminderSchedule(calendar, config.remindAt(), config.remindEvery(), config.marketOpen(), config.expiryZone());
    }

    private static NotificationApi client(URI url) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .userAgent("kite-token-service/1.0")
                .followRedirects(false)
                .disableDefaultMapper(true)
                .build(NotificationApi.class);
    }
}
