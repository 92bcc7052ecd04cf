package dev.kitetoken.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of an {@code application/problem+json} answer (RFC 9457), with the login URL when it helps.
 * Serialised by ProblemMapper's own ObjectMapper call, hence registered for reflection (native).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        @JsonProperty("login_url") String loginUrl) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
