package dev.kitetoken.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of {@code POST /token/invalidate} and {@code DELETE /token}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvalidationResult(
        @JsonProperty("invalidated") boolean invalidated,
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("current_token_id") String currentTokenId,
        @JsonProperty("kite_logged_out") Boolean kiteLoggedOut,
        @JsonProperty("detail") String detail) {
}
