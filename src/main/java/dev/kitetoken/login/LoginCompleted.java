package dev.kitetoken.login;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON answer of a successful callback: who logged in and until when, never the token. replicated is
 * false while Redis is unavailable and the token is held by the replica that answered.
 */
public record LoginCompleted(
        @JsonProperty("user_id") String userId,
        @JsonProperty("user_name") String userName,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("replicated") boolean replicated) {
}
