package dev.kitetoken.kite;

/** Kite answered 429: retrying at once would only make it worse (repeated 429s can get an app blocked). */
public class KiteRateLimitedException extends KiteException {

    public KiteRateLimitedException(String message) {
        super(KiteFailure.RATE_LIMITED, 429, message);
    }
}
