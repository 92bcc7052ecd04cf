package dev.kitetoken.token;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON body of {@code GET /token}. */
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("api_key") String apiKey,
        @JsonProperty("user_id") String userId,
        @JsonProperty("user_name") String userName,
        @JsonProperty("login_time") String loginTime,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("token_id") String tokenId) {

    static TokenResponse of(CurrentToken token) {
        StoredSession s = token.session();
        return new TokenResponse(token.accessToken(), s.apiKey(), s.userId(), s.userName(), s.loginTime(),
                s.expiresAt(), s.tokenId());
    }

    @Override
    public String toString() {
        return "TokenResponse[tokenId=" + tokenId + ", userId=" + userId + "]";
    }
}
