package dev.kitetoken.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.kitetoken.json.JsonCodec;

/** Telegram's Bot API {@code sendMessage}: the bot token is part of the URL, so the URL is never logged. */
final class TelegramChannel implements NotificationChannel {

    private final NotificationApi api;
    private final String chatId;
    private final JsonCodec json;

    TelegramChannel(NotificationApi api, String chatId, JsonCodec json) {
        this.api = api;
        this.chatId = chatId;
        this.json = json;
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public CompletionStage<Void> send(Notice notice) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("chat_id", chatId);
        message.put("text", notice.text());
        message.put("disable_web_page_preview", true);
        return api.post(null, json.write(message)).thenApply(DeliveryFailed::check);
    }
}
