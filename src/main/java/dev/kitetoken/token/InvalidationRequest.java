package dev.kitetoken.token;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /token/invalidate}: the token a pod saw rejected, by token_id or as itself. */
public record InvalidationRequest(
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("access_token") String accessToken) {

    @Override
    public String toString() {
        return "InvalidationRequest[tokenId=" + tokenId + "]";
    }
}
