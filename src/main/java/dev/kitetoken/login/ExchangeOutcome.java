package dev.kitetoken.login;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kitetoken.token.StoredSession;
import dev.kitetoken.web.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How the exchange of one request_token ended, kept in Redis so that every duplicate callback gets the
 * same answer as the first. Holds nothing secret: no token, no request_token.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExchangeOutcome(
        @JsonProperty("status") int status,
        @JsonProperty("user_id") String userId,
        @JsonProperty("user_name") String userName,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("title") String title,
        @JsonProperty("detail") String detail,
        @JsonProperty("offer_login") boolean offerLogin,
        @JsonProperty("retry_after") String retryAfter) {

    static ExchangeOutcome success(StoredSession session) {
        return new ExchangeOutcome(200, session.userId(), session.userName(), session.expiresAt(), session.tokenId(),
                null, null, false, null);
    }

    /** Logged in, but Redis could not be written yet: 202, the token is held by this replica. */
    static ExchangeOutcome pending(StoredSession session) {
        return new ExchangeOutcome(202, session.userId(), session.userName(), session.expiresAt(), session.tokenId(),
                null, null, false, null);
    }

    static ExchangeOutcome failure(ProblemException problem) {
        return new ExchangeOutcome(problem.status(), null, null, null, null, problem.title(), problem.detail(),
                problem.offerLogin(), problem.headers().get("Retry-After"));
    }

    boolean succeeded() {
        return status == 200 || status == 202;
    }

    boolean replicated() {
        return status == 200;
    }
}
