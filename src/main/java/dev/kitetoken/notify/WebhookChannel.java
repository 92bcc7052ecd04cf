package dev.kitetoken.notify;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.hashing.Sha256;
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
    private final ObjectMapper json;

    WebhookChannel(NotificationApi api, Optional<String> secret, ObjectMapper json) {
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
        String body;
        try {
            body = json.writeValueAsString(new Body(notice.text(), notice.event()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice always serialises", e);
        }
        String signature = secret.map(key -> "sha256=" + Sha256.hmacHex(key, body.getBytes(StandardCharsets.UTF_8))).orElse(null);
        return api.post(signature, body).thenApply(DeliveryFailed::check);
    }
}
