package dev.kitetoken.kite;

/** Every way a call to Kite can go wrong that a caller must tell apart. */
public enum KiteFailure {
    /** 403 "Token is invalid or has expired.": the request_token was used, expired or never issued. */
    REQUEST_TOKEN_REJECTED,
    /** 403 "Invalid `checksum`.": the api_secret does not belong to the api_key. */
    CHECKSUM_REJECTED,
    /** Any other 4xx: Kite refused what we sent (for example an unknown api_key). */
    REQUEST_REJECTED,
    /** 429: Kite's rate limit. */
    RATE_LIMITED,
    /** 5xx from Kite. */
    UNAVAILABLE,
    /** A body that is not the JSON Kite documents. */
    MALFORMED_RESPONSE,
    /** No answer within KITE_HTTP_TIMEOUT. */
    TIMEOUT,
    /** No connection at all (refused, DNS, TLS). */
    UNREACHABLE
}
