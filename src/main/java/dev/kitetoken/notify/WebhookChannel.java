package dev.kitetoken.notify;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kitetoken.hashing.Sha256;
import dev.kitetoken.json.JsonCodec;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An incoming webhook: a {@code text} field, which Slack, Mattermost and Google Chat show as it is, and the
 * {@code event} for programs; signed with KITE_NOTIFY_WEBHOOK_SECRET when one is set.
 */
final class WebhookChannel implements NotificationChannel {

    @RegisterForReflection
    record Body(@JsonProperty("text") String text, @JsonProperty("event") Notice.Event event) {
    }

    private final NotificationApi api;
    private final Optional<String> secret;
    private final JsonCodec json;

    WebhookChannel(NotificationApi api, Optional<String> secret, JsonCodec json) {
        this.api = api;
        this.secret = secret;
        this.json = json;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public CompletionStage<Void> send(Notice notice) {
        String body = json.write(new Body(notice.text(), notice.event()));
        String signature = secret.map(key -> "sha256=" + Sha256.hmacHex(key, body.getBytes(StandardCharsets.UTF_8))).orElse(null);
        return api.post(signature, body).thenApply(DeliveryFailed::check);
    }
}
