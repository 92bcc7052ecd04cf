package dev.kitetoken.token;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.web.ProblemException;

/** The body of {@code POST /token/invalidate}: the token a pod saw rejected, by token_id or as itself. */
public record InvalidationRequest(
        @JsonProperty("token_id") String tokenId,
        @JsonProperty("access_token") String accessToken) {

    private static final Set<String> FIELDS = Set.of("token_id", "access_token");

    /**
     * Read strictly: a body that is not an object, a field this endpoint does not know, or a value that is
     * not a string is refused, so that a typo never reads as "no token named".
     */
    static InvalidationRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("The body is a JSON object: {\"token_id\": \"...\"} or {\"access_token\": \"...\"}.");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            if (!FIELDS.contains(names.next())) {
                throw invalid("Only token_id and access_token are accepted.");
            }
        }
        return new InvalidationRequest(text(body, "token_id"), text(body, "access_token"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field + " is a string.");
        }
        return value.asText();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "Invalid report", detail);
    }

    @Override
    public String toString() {
        return "InvalidationRequest[tokenId=" + tokenId + "]";
    }
}
