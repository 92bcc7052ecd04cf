package dev.kitetoken.kite;

import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.metrics.KiteMetrics;
import io.smallrye.faulttolerance.api.RateLimit;

/**
 * The calls this service makes to Kite: the exchange, the token check and the logout. The exchange is
 * never retried: the request_token is single-use, so a second attempt after a lost answer could only fail
 * and hide what happened to the first. The token check is safe to repeat and retries with back-off.
 */
@ApplicationScoped
public class KiteClient {

    private static final Logger LOG = Logger.getLogger(KiteClient.class);
    static final int MAX_CONCURRENT_EXCHANGES = 16;

    private final KiteApi api;
    private final KiteConfig config;
    private final ObjectMapper json;
    private final KiteMetrics metrics;

    KiteClient(KiteApi api, KiteConfig config, ObjectMapper json, KiteMetrics metrics) {
        this.api = api;
        this.config = config;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * At most {@value #MAX_CONCURRENT_EXCHANGES} exchanges wait on Kite at once: one person logs in a day, so
     * more means a storm of callbacks, and a hung Kite must not take every worker thread with it.
     */
    @Bulkhead(MAX_CONCURRENT_EXCHANGES)
    public KiteSession exchange(String requestToken) {
        String apiKey = config.requiredApiKey();
        String checksum = KiteChecksum.of(apiKey, requestToken, config.requiredApiSecret());
        Answer answer = send("exchange", () -> api.createSession(apiKey, requestToken, checksum));
        if (answer.status() != 200) {
            throw error("exchange", answer);
        }
        String accessToken = text(answer.data(), "access_token");
        String userId = text(answer.data(), "user_id");
        if (accessToken == null || userId == null) {
            throw failure(KiteFailure.MALFORMED_RESPONSE, answer, "Kite answered the exchange with a body that is not a Kite session");
        }
        return new KiteSession(accessToken, userId, text(answer.data(), "user_name"), text(answer.data(), "login_time"));
    }

    /** What Kite says about an access token. */
    public enum Verdict {
        VALID, REJECTED
    }

    /**
     * Asks Kite whether the token still works ({@code GET /user/profile}, the cheapest call). A network
     * fault or a 5xx is not an answer: it is retried with back-off, then thrown, never taken as a rejection.
     * Kite allows 10 such calls a second per app.
     */
    @Retry(maxRetries = 2, delay = 300, jitter = 100, retryOn = KiteException.class, abortOn = KiteRateLimitedException.class)
    @RateLimit(value = 10, window = 1, windowUnit = ChronoUnit.SECONDS)
    public Verdict checkToken(String accessToken) {
        Answer answer = send("profile", () -> api.profile(authorization(accessToken)));
        if (answer.status() == 200) {
            return Verdict.VALID;
        }
        if (answer.tokenException()) {
            return Verdict.REJECTED;
        }
        throw error("profile", answer);
    }

    /** Ends the session at Kite ({@code DELETE /session/token}); true when Kite no longer accepts the token. */
    public boolean logout(String accessToken) {
        Answer answer;
        try {
            answer = send("logout", () -> api.deleteSession(config.requiredApiKey(), accessToken));
        } catch (KiteException e) {
            return false; // logged by the funnel
        }
        // 403 TokenException: the token was already dead, which is what a logout wants.
        boolean ended = answer.status() == 200 || answer.tokenException();
        if (!ended) {
            LOG.warnf("Kite did not confirm the logout (HTTP %d%s)", answer.status(),
                    answer.errorType() == null ? "" : ", " + answer.errorType());
        }
        return ended;
    }

    private String authorization(String accessToken) {
        return "token " + config.requiredApiKey() + ":" + accessToken;
    }

    /**
     * Kite's answer to one call, read once: its status, the envelope's error_type and message, and its data
     * (null when the body is not Kite's JSON).
     */
    private record Answer(int status, String errorType, String message, JsonNode data) {

        boolean tokenException() {
            return status == 403 && "TokenException".equals(errorType);
        }

        /** The data of an exchange holds the access token, and Kite's message may echo what was sent. */
        @Override
        public String toString() {
            return "Answer[status=" + status + ", errorType=" + errorType + "]";
        }
    }

    /**
     * Every call goes through here, like pykiteconnect's {@code _request}: timed, read once into an
     * {@link Answer}, and a transport fault named after the call it broke.
     */
    private Answer send(String call, Supplier<Response> request) {
        Response response;
        try {
            response = metrics.timeKiteCall(call, request);
        } catch (ProcessingException e) {
            throw transportFailure(call, e);
        }
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode envelope = jsonOrNull(response.getMediaType(), body);
            return new Answer(response.getStatus(), text(envelope, "error_type"), text(envelope, "message"),
                    envelope == null ? null : envelope.get("data"));
        } catch (ProcessingException e) {
            throw transportFailure(call, e);
        }
    }

    /** A failed answer as the exception callers tell apart, decided in this one place for every call. */
    private static KiteException error(String call, Answer answer) {
        int status = answer.status();
        if (answer.tokenException()) {
            // Both rejections of an exchange share status and error_type; only the message tells them apart.
            return String.valueOf(answer.message()).toLowerCase(Locale.ROOT).contains("checksum")
                    ? failure(KiteFailure.CHECKSUM_REJECTED, answer, "Kite rejected the checksum")
                    : failure(KiteFailure.REQUEST_TOKEN_REJECTED, answer, "Kite rejected the request_token as invalid or expired");
        }
        if (status == 429) {
            LOG.warnf("Kite call failed: %s", detail("Kite's rate limit was hit", answer));
            return new KiteRateLimitedException(detail("Kite's rate limit was hit", answer));
        }
        if (status >= 500 && status <= 599) {
            return failure(KiteFailure.UNAVAILABLE, answer, "Kite answered the " + call + " with a server error");
        }
        if (status >= 400 && status <= 499) {
            return failure(KiteFailure.REQUEST_REJECTED, answer, "Kite refused the " + call + " request");
        }
        return failure(KiteFailure.MALFORMED_RESPONSE, answer, "Kite answered the " + call + " with an unexpected status");
    }

    private JsonNode jsonOrNull(MediaType type, String body) {
        if (type == null || !type.getSubtype().toLowerCase(Locale.ROOT).contains("json") || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            // The parser's message quotes the body, which may hold a token: drop it.
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** Kite's free-text message is left out: it could echo what was sent. */
    private static String detail(String message, Answer answer) {
        return message + " (HTTP " + answer.status() + (answer.errorType() == null ? "" : ", " + answer.errorType()) + ")";
    }

    private static KiteException failure(KiteFailure failure, Answer answer, String message) {
        String detail = detail(message, answer);
        LOG.warnf("Kite call failed: %s", detail);
        return new KiteException(failure, answer.status(), detail);
    }

    private KiteException transportFailure(String call, ProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout")) {
                LOG.warnf("Kite did not answer the %s within %s", call, config.httpTimeout());
                return new KiteException(KiteFailure.TIMEOUT, 0,
                        "Kite did not answer the " + call + " within " + config.httpTimeout().toMillis() + " ms");
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        LOG.warnf("Kite could not be reached for the %s: %s", call, root.getClass().getSimpleName());
        return new KiteException(KiteFailure.UNREACHABLE, 0,
                "Kite could not be reached for the " + call + " (" + root.getClass().getSimpleName() + ")");
    }
}
