package dev.kitetoken.web;

/**
 * An event as the status page lists it: what happened and when, in words for the person who logs in each
 * morning; no user, no token.
 */
public record PageEvent(String what, String when) {

    /** The event's type and reason (docs/events.md) as a person says it; {@code cutoff} is KITE_EXPIRY_TIME. */
    public static PageEvent of(String type, String reason, String when, java.time.LocalTime cutoff) {
        return new PageEvent(words(type, reason, cutoff), when);
    }

    static String words(String type, String reason, java.time.LocalTime cutoff) {
        return switch (type + "/" + reason) {
            case "issued/login" -> "Logged in";
            case "issued/restored" -> "Token written back to Redis after Redis lost it";
            case "invalidated/relogin" -> "Replaced by a new login";
            case "invalidated/logout" -> "Logged out";
            case "invalidated/reported" -> "Reported dead by a trading pod, and Kite confirmed it";
            case "invalidated/kite-rejected" -> "Rejected by Kite (found by the periodic check)";
            case "expired/cutoff" -> "Expired at " + cutoff;
            default -> "issued".equals(type) ? "New token" : "Token ended";
        };
    }
}
