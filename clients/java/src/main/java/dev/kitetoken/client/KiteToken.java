package dev.kitetoken.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

import org.json.JSONException;
import org.json.JSONObject;

/**
 * One Kite access token as kite-token-service serves it. {@link #toString()} names it by its token_id only:
 * the access token itself must never reach a log.
 */
public final class KiteToken {

    private final String accessToken;
    private final String tokenId;
    private final String apiKey;
    private final String userId;
    private final Instant expiresAt;

    public KiteToken(String accessToken, String tokenId, String apiKey, String userId, Instant expiresAt) {
        this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
        this.tokenId = Objects.requireNonNull(tokenId, "tokenId");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.userId = userId;
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The body of {@code GET /token} (application/json). */
    public static KiteToken fromJson(String json) {
        try {
            JSONObject body = new JSONObject(json);
            return new KiteToken(body.getString("access_token"), body.getString("token_id"), body.getString("api_key"),
                    body.optString("user_id", null), OffsetDateTime.parse(body.getString("expires_at")).toInstant());
        } catch (JSONException | java.time.format.DateTimeParseException e) {
            // The message of either may quote the body, which holds the token: say only what is wrong.
            throw new IllegalArgumentException("not a GET /token answer: " + e.getClass().getSimpleName());
        }
    }

    public String accessToken() {
        return accessToken;
    }

    /** The first 16 hex characters of the token's SHA-256: how logs, events and the service name it. */
    public String tokenId() {
        return tokenId;
    }

    public String apiKey() {
        return apiKey;
    }

    /** The Zerodha client id that logged in. */
    public String userId() {
        return userId;
    }

    /** When Kite stops accepting it (the next 06:00 IST), unless a logout or a new login ends it first. */
    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KiteToken token && token.tokenId.equals(tokenId) && token.accessToken.equals(accessToken);
    }

    @Override
    public int hashCode() {
        return tokenId.hashCode();
    }

    @Override
    public String toString() {
        return "KiteToken[token_id=" + tokenId + ", user_id=" + userId + ", expires_at=" + expiresAt + "]";
    }
}
