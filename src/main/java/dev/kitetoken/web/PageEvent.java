package dev.kitetoken.web;

/** An event as the status page lists it: what happened and when, in words; no user, no token. */
public record PageEvent(String type, String reason, String when) {
}
