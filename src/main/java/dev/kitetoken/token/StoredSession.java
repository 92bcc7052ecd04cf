package dev.kitetoken.token;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The value of {@code <prefix>:session:<api_key>}: everything about the current session except the token.
 * Times are ISO-8601 with the offset of KITE_EXPIRY_ZONE. Unknown fields are ignored so that a newer
 * version of the service can add some without breaking an older replica.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredSession(
        @JsonProperty("api_key") String apiKey,
        @JsonProperty("user_id") String userId,
        @JsonProperty("user_name") String userName,
        @JsonProperty("login_time") String loginTime,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("issued_at") String issuedAt,
        /** When this replica got it from Kite, in epoch milliseconds: orders two logins, even within a second. */
        @JsonProperty("issued_ms") long issuedMs) {
}
