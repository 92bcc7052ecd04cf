package dev.kitetoken.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One change of the token, as published on {@code <prefix>:events:<api_key>} and appended to
 * {@code <prefix>:events-log:<api_key>}. Never carries the token: consumers read it from Redis or GET /token.
 * The JSON is written by the Redis scripts of {@code TokenScripts}, atomically with the change itself.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenEvent(
        @JsonProperty("type") String type,
        @JsonProperty("api_key") String apiKey,
        @JsonProperty("user_id") String userId,
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("reason") String reason,
        @JsonProperty("at") String at,
        @JsonProperty("expires_at") String expiresAt) {

    public static final String ISSUED = "issued";
    public static final String INVALIDATED = "invalidated";
    public static final String EXPIRED = "expired";

    public static final String REASON_LOGIN = "login";
    /** A token written back after Redis lost it (restarted empty). */
    public static final String REASON_RESTORED = "restored";
    public static final String REASON_RELOGIN = "relogin";
    public static final String REASON_CUTOFF = "cutoff";
    public static final String REASON_LOGOUT = "logout";
    public static final String REASON_KITE_REJECTED = "kite-rejected";
    public static final String REASON_REPORTED = "reported";

    /** Whether this event ends the token it names. */
    public boolean endsToken() {
        return INVALIDATED.equals(type) || EXPIRED.equals(type);
    }
}
