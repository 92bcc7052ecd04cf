package dev.kitetoken.client;

import org.json.JSONObject;

/**
 * What the service decided on a report ({@code POST /token/invalidate}): it ends the token only when it is still
 * the current one and Kite confirms it is dead.
 *
 * @param invalidated whether the report ended the token
 * @param currentTokenId the token the service serves now, or null for none
 * @param detail the service's explanation, for a log line
 */
public record Invalidation(boolean invalidated, String currentTokenId, String detail) {

    static Invalidation fromJson(String json) {
        JSONObject body = new JSONObject(json);
        return new Invalidation(body.optBoolean("invalidated"), body.optString("current_token_id", null), body.optString("detail", null));
    }
}
