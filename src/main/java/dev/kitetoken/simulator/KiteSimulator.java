package dev.kitetoken.simulator;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kitetoken.kite.KiteChecksum;

/**
 * A Kite Connect v3 stand-in that behaves as Kite's documentation and SDKs say it does: the checksum is
 * checked, each request_token works once and for five minutes, and an app has one access token at a time
 * (a new session kills the previous one). Used by the dev-mode simulator and by the tests' fake Kite; it
 * holds no HTTP code of its own.
 * <p>
 * About 250 lines: Kite's three API calls, its error bodies and its login page, around one piece of state
 * (the app's pending request_tokens and its one access token).
 */
public final class KiteSimulator {

    /** What Kite answers: a status and a JSON body. */
    public record Reply(int status, String json) {
    }

    /** The value of the X-Kite-Version header that every API call must carry. */
    public static final String API_VERSION = "3";
    public static final String USER_ID = "SIM001";
    public static final String USER_NAME = "Simulated Trader";
    static final Duration REQUEST_TOKEN_LIFETIME = Duration.ofMinutes(5);
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter LOGIN_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneId.of("Asia/Kolkata"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final String apiSecret;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Approval> requestTokens = new ConcurrentHashMap<>();
    private volatile User nextUser = new User(USER_ID, USER_NAME);
    private volatile User user = nextUser;
    private volatile String accessToken;

    /** A Zerodha client who can log in to the app; Kite accepts a login by any of them. */
    public record User(String id, String name) {
    }

    private record Approval(Instant at, User user) {
    }

    public KiteSimulator(String apiKey, String apiSecret, Clock clock) {
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.clock = clock;
    }

    /** Who logs in at the next "Log in" press (tests: a second Zerodha client). */
    public void nextLoginBy(User someone) {
        nextUser = someone;
    }

    /** The current access token of the app, or null. */
    public String accessToken() {
        return accessToken;
    }

    /**
     * The person pressed "Log in": a fresh request_token and the redirect Kite sends the browser to.
     * {@code redirectParams} arrives already decoded (as Kite decodes it) and is appended as it is.
     */
    public URI approve(URI redirectUrl, String redirectParams) {
        String requestToken = randomToken();
        requestTokens.put(requestToken, new Approval(clock.instant(), nextUser));
        return redirect(redirectUrl, "action=login&type=login&status=success&request_token=" + requestToken
                + (redirectParams == null || redirectParams.isEmpty() ? "" : "&" + redirectParams));
    }

    /** The person pressed "Cancel": Kite drops redirect_params on this path. */
    public URI cancel(URI redirectUrl) {
        return redirect(redirectUrl, "status=cancelled");
    }

    /** {@code POST /session/token}: Kite reads a form body only; a JSON body looks to it like no fields at all. */
    public synchronized Reply createSession(String kiteVersion, String contentType, String body) {
        if (!API_VERSION.equals(kiteVersion)) {
            return versionMissing();
        }
        boolean form = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        return createSession(form ? parseForm(body) : Map.of());
    }

    private Reply createSession(Map<String, String> form) {
        String key = form.get("api_key");
        String requestToken = form.get("request_token");
        String checksum = form.get("checksum");
        if (key == null || key.length() < 6) {
            return error(400, "InputException", "`api_key` should be minimum 6 characters in length.");
        }
        if (requestToken == null || requestToken.isEmpty()) {
            return error(400, "InputException", "`request_token` is missing.");
        }
        if (checksum == null || checksum.isEmpty()) {
            return error(400, "InputException", "`checksum` is missing.");
        }
        if (!key.equals(apiKey)) {
            return error(403, "InputException", "Invalid `api_key`.");
        }
        if (!checksum.equals(KiteChecksum.of(apiKey, requestToken, apiSecret))) {
            return error(403, "TokenException", "Invalid `checksum`.");
        }
        Approval approval = requestTokens.remove(requestToken);
        if (approval == null || approval.at().plus(REQUEST_TOKEN_LIFETIME).isBefore(clock.instant())) {
            return error(403, "TokenException", "Token is invalid or has expired.");
        }
        user = approval.user();
        accessToken = randomToken();
        ObjectNode data = profileData();
        data.put("api_key", apiKey);
        data.put("access_token", accessToken);
        data.put("public_token", randomToken());
        data.put("enctoken", randomToken());
        data.put("refresh_token", "");
        data.put("silo", "");
        data.put("login_time", LOGIN_TIME.format(clock.instant()));
        return success(data);
    }

    /** {@code GET /user/profile} with {@code Authorization: token api_key:access_token}. */
    public Reply profile(String kiteVersion, String authorization) {
        if (!API_VERSION.equals(kiteVersion)) {
            return versionMissing();
        }
        String current = accessToken;
        if (current == null || !("token " + apiKey + ":" + current).equals(authorization)) {
            return error(403, "TokenException", "Incorrect `api_key` or `access_token`.");
        }
        return success(profileData());
    }

    /** {@code DELETE /session/token?api_key=..&access_token=..}. */
    public synchronized Reply deleteSession(String kiteVersion, String key, String token) {
        if (!API_VERSION.equals(kiteVersion)) {
            return versionMissing();
        }
        if (!apiKey.equals(key) || token == null || !token.equals(accessToken)) {
            return error(403, "TokenException", "Incorrect `api_key` or `access_token`.");
        }
        accessToken = null;
        return new Reply(200, "{\"status\":\"success\",\"data\":true}");
    }

    /** The login page: two forms posting to the given approve and cancel actions. */
    public String loginPage(String requestedApiKey, String redirectParams, String approveAction, String cancelAction) {
        if (!apiKey.equals(requestedApiKey)) {
            return "<!DOCTYPE html><title>Kite simulator</title><h1>Invalid api_key</h1>"
                    + "<p>This simulator only knows the api_key the service is configured with.</p>";
        }
        String hidden = "<input type=\"hidden\" name=\"api_key\" value=\"" + escape(apiKey) + "\">"
                + "<input type=\"hidden\" name=\"redirect_params\" value=\"" + escape(redirectParams == null ? "" : redirectParams) + "\">";
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Kite simulator</title>"
                + "<link rel=\"stylesheet\" href=\"/style.css\"></head><body><main>"
                + "<h1>Kite Connect simulator</h1>"
                + "<p>Dev mode: no Zerodha account is involved. Log in as <strong>" + escape(nextUser.id()) + "</strong> ("
                + escape(nextUser.name()) + ") to app <code>" + escape(apiKey) + "</code>?</p>"
                + "<div class=\"actions\"><form method=\"post\" action=\"" + escape(approveAction) + "\">" + hidden
                + "<button class=\"button\" id=\"approve\" type=\"submit\">Log in</button></form>"
                + "<form method=\"post\" action=\"" + escape(cancelAction) + "\">" + hidden
                + "<button class=\"button secondary\" id=\"cancel\" type=\"submit\">Cancel</button></form></div>"
                + "</main></body></html>";
    }

    /** Decodes a form body or query string; the first of repeated names wins. */
    public static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : (body == null ? "" : body).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private ObjectNode profileData() {
        ObjectNode data = JSON.createObjectNode();
        data.put("user_type", "individual");
        data.put("email", "sim@example.com");
        data.put("user_name", user.name());
        data.put("user_shortname", "Trader");
        data.put("broker", "ZERODHA");
        data.putArray("exchanges").add("NSE").add("NFO").add("BFO").add("CDS").add("BSE").add("MCX").add("BCD").add("MF");
        data.putArray("products").add("CNC").add("NRML").add("MIS").add("BO").add("CO");
        data.putArray("order_types").add("MARKET").add("LIMIT").add("SL").add("SL-M");
        data.putNull("avatar_url");
        data.put("user_id", user.id());
        data.putObject("meta").put("demat_consent", "physical");
        return data;
    }

    private static Reply success(ObjectNode data) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "success");
        body.set("data", data);
        return new Reply(200, body.toString());
    }

    /** Every API call must say which version of the API it speaks ({@code X-Kite-Version: 3}). */
    private static Reply versionMissing() {
        return error(400, "InputException", "Invalid or missing `X-Kite-Version` header: this API is version 3.");
    }

    private static Reply error(int status, String errorType, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "error");
        body.put("message", message);
        body.putNull("data");
        body.put("error_type", errorType);
        return new Reply(status, body.toString());
    }

    private String randomToken() {
        StringBuilder token = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            token.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return token.toString();
    }

    private static URI redirect(URI redirectUrl, String query) {
        String base = redirectUrl.toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
