package dev.kitetoken.kite;

/**
 * A failed call to Kite. The message is built by this service from the status and Kite's error_type only:
 * Kite's free-text message could echo what we sent, so it is never copied into it.
 */
public class KiteException extends RuntimeException {

    private final KiteFailure failure;
    private final int kiteStatus;

    public KiteException(KiteFailure failure, int kiteStatus, String message) {
        super(message, null, false, false);
        this.failure = failure;
        this.kiteStatus = kiteStatus;
    }

    public KiteFailure failure() {
        return failure;
    }

    /** Kite's HTTP status, or 0 when no answer came. */
    public int kiteStatus() {
        return kiteStatus;
    }
}
