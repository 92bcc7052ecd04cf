package dev.kitetoken.token;

/** The examples the OpenAPI document shows for the token endpoints (kept here so the resource reads as its contract). */
final class TokenApiExamples {

    static final String TOKEN = """
            {"access_token":"<the token>","api_key":"abcd1234","user_id":"AB1234","user_name":"A Trader",
             "login_time":"2026-11-28T09:14:03+05:30","expires_at":"2026-11-29T06:00:00+05:30","token_id":"4d42183b950a4e7c"}""";
    static final String EVENT = """
            {"type":"invalidated","api_key":"abcd1234","user_id":"AB1234","token_id":"4d42183b950a4e7c",
             "reason":"relogin","at":"2026-11-28T09:20:11+05:30","expires_at":"2026-11-29T06:00:00+05:30"}""";
    static final String REPORT_BY_TOKEN_ID = "{\"token_id\": \"4d42183b950a4e7c\"}";
    static final String REPORT_BY_TOKEN = "{\"access_token\": \"<the token the pod used>\"}";
    static final String INVALIDATED = "{\"invalidated\": true, \"token_id\": \"4d42183b950a4e7c\"}";
    static final String STALE_REPORT = "{\"invalidated\": false, \"token_id\": \"4d42183b950a4e7c\", \"current_token_id\": \"9f0c2a7d11e34b58\", \"detail\": \"The reported token is not the current one; read the current token again.\"}";
    static final String LOGGED_OUT = "{\"invalidated\": true, \"token_id\": \"4d42183b950a4e7c\", \"kite_logged_out\": true}";

    private TokenApiExamples() {
    }
}
