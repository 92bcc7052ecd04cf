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
        Response response;
        try {
            response = metrics.timeKiteCall("exchange", () -> api.createSession(apiKey, requestToken, checksum));
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            return parseSession(response.getStatus(), response.getMediaType(), body);
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
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
        try (Response response = call("profile", () -> api.profile(authorization(accessToken)))) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            int status = response.getStatus();
            if (status == 200) {
                return Verdict.VALID;
            }
            String errorType = text(jsonOrNull(response.getMediaType(), body), "error_type");
            if (status == 403 && "TokenException".equals(errorType)) {
                return Verdict.REJECTED;
            }
            if (status == 429) {
                throw new KiteRateLimitedException();
            }
            throw failure(status >= 500 ? KiteFailure.UNAVAILABLE : KiteFailure.REQUEST_REJECTED, status, errorType,
                    "Kite answered the token check unexpectedly");
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    /** Ends the session at Kite ({@code DELETE /session/token}); true when Kite no longer accepts the token. */
    public boolean logout(String accessToken) {
        try (Response response = call("logout", () -> api.deleteSession(config.requiredApiKey(), accessToken))) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            String errorType = text(jsonOrNull(response.getMediaType(), body), "error_type");
            // 403 TokenException: the token was already dead, which is what a logout wants.
            boolean ended = response.getStatus() == 200 || (response.getStatus() == 403 && "TokenException".equals(errorType));
            if (!ended) {
                LOG.warnf("Kite did not confirm the logout (HTTP %d%s)", response.getStatus(), errorType == null ? "" : ", " + errorType);
            }
            return ended;
        } catch (ProcessingException | KiteException e) {
            LOG.warnf("Kite could not be asked to log the session out: %s", e.getClass().getSimpleName());
            return false;
        }
    }

    private String authorization(String accessToken) {
        return "token " + config.requiredApiKey() + ":" + accessToken;
    }

    private Response call(String name, Supplier<Response> request) {
        try {
            return metrics.timeKiteCall(name, request);
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    private KiteSession parseSession(int status, MediaType type, String body) {
        if (status == 200) {
            JsonNode envelope = jsonOrNull(type, body);
            JsonNode data = envelope == null ? null : envelope.get("data");
            String accessToken = text(data, "access_token");
            String userId = text(data, "user_id");
            if (accessToken == null || userId == null) {
                throw failure(KiteFailure.MALFORMED_RESPONSE, status, null,
                        "Kite answered the exchange with a body that is not a Kite session");
            }
            return new KiteSession(accessToken, userId, text(data, "user_name"), text(data, "login_time"));
        }
        JsonNode envelope = jsonOrNull(type, body);
        String errorType = text(envelope, "error_type");
        if (status == 403 && "TokenException".equals(errorType)) {
            // Both rejections share status and error_type; only the message tells them apart.
            String message = String.valueOf(text(envelope, "message")).toLowerCase(Locale.ROOT);
            if (message.contains("checksum")) {
                throw failure(KiteFailure.CHECKSUM_REJECTED, status, errorType, "Kite rejected the checksum");
            }
            throw failure(KiteFailure.REQUEST_TOKEN_REJECTED, status, errorType,
                    "Kite rejected the request_token as invalid or expired");
        }
        if (status == 429) {
            throw failure(KiteFailure.RATE_LIMITED, status, errorType, "Kite's rate limit was hit");
        }
        if (status >= 500 && status <= 599) {
            throw failure(KiteFailure.UNAVAILABLE, status, errorType, "Kite answered with a server error");
        }
        if (status >= 400 && status <= 499) {
            throw failure(KiteFailure.REQUEST_REJECTED, status, errorType, "Kite refused the exchange request");
        }
        throw failure(KiteFailure.MALFORMED_RESPONSE, status, errorType, "Kite answered with an unexpected status");
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

    private static KiteException failure(KiteFailure failure, int status, String errorType, String message) {
        String detail = message + " (HTTP " + status + (errorType == null ? "" : ", " + errorType) + ")";
        LOG.warnf("Kite call failed: %s", detail);
        return new KiteException(failure, status, detail);
    }

    private KiteException transportFailure(ProcessingException e) {
        boolean timeout = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout")) {
                timeout = true;
                break;
            }
        }
        if (timeout) {
            LOG.warnf("Kite did not answer the exchange within %s", config.httpTimeout());
            return new KiteException(KiteFailure.TIMEOUT, 0,
                    "Kite did not answer within " + config.httpTimeout().toMillis() + " ms");
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        LOG.warnf("Kite could not be reached: %s", root.getClass().getSimpleName());
        return new KiteException(KiteFailure.UNREACHABLE, 0, "Kite could not be reached (" + root.getClass().getSimpleName() + ")");
    }
}
