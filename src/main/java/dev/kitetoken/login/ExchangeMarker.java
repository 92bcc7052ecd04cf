package dev.kitetoken.login;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Redis record of one request_token: which login state claimed it, and the outcome once known
 * ({@code null} while the exchange with Kite is still running).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExchangeMarker(
        @JsonProperty("state_hash") String stateHash,
        @JsonProperty("outcome") ExchangeOutcome outcome) {
}
