package dev.kitetoken.notify;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One message to people: its occasion (what makes it one-of-a-kind across replicas, e.g.
 * {@code remind:2026-11-30T08:30}), the text, and what happened for machines reading webhooks. Never the
 * token, the api_secret or a request_token: a token is named by its token_id.
 */
public record Notice(String occasion, String text, Event event) {

    public static final String REMINDER = "reminder";
    public static final String NO_SESSION = "no-session";

    /** The {@code event} object of a webhook's body. */
    @RegisterForReflection
    public record Event(
            @JsonProperty("type") String type,
            @JsonProperty("reason") String reason,
            @JsonProperty("at") String at,
            @JsonProperty("expires_at") String expiresAt,
            @JsonProperty("token_id") String tokenId,
            @JsonProperty("login_url") String loginUrl) {
    }
}
