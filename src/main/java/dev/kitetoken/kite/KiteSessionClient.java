package dev.kitetoken.kite;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.config.KiteConfig;

/**
 * Exchanges a request_token for an access token at Kite. Never retries: the request_token is single-use,
 * so a second attempt after a lost answer could only fail and hide what happened to the first.
 */
@ApplicationScoped
public class KiteSessionClient {

    private static final Logger LOG = Logger.getLogger(KiteSessionClient.class);

    private final KiteApi api;
    private final KiteConfig config;
    private final ObjectMapper json;

    KiteSessionClient(KiteApi api, KiteConfig config, ObjectMapper json) {
        this.api = api;
        this.config = config;
        this.json = json;
    }

    public KiteSession exchange(String requestToken) {
        String apiKey = config.requiredApiKey();
        String checksum = KiteChecksum.of(apiKey, requestToken, config.requiredApiSecret());
        Response response;
        try {
            response = api.createSession(apiKey, requestToken, checksum);
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
        LOG.warnf("Kite exchange failed: %s", detail);
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
