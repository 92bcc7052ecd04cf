package dev.kitetoken.web;

import java.util.Map;
import java.util.Optional;

/**
 * The methods each address accepts, for the Allow header of a 405 (RFC 9110 §15.5.6), which RESTEasy Reactive
 * does not send. A table, not a scan of the resources at run time (nothing to register for a native image);
 * AllowedMethodsTest fails when a resource method is added without its entry here.
 */
public final class AllowedMethods {

    private static final Map<String, String> BY_PATH = Map.ofEntries(
            Map.entry("/", "GET, HEAD, OPTIONS"),
            Map.entry("/login", "GET, HEAD, OPTIONS"),
            Map.entry("/callback", "GET, HEAD, OPTIONS"),
            Map.entry("/ping", "GET, HEAD, OPTIONS"),
            Map.entry("/token", "GET, HEAD, DELETE, OPTIONS"),
            Map.entry("/token/events", "GET, HEAD, OPTIONS"),
            Map.entry("/token/invalidate", "POST, OPTIONS"),
            // The dev and test builds' Kite simulator.
            Map.entry("/kite-sim/connect/login", "GET, HEAD, OPTIONS"),
            Map.entry("/kite-sim/connect/approve", "POST, OPTIONS"),
            Map.entry("/kite-sim/connect/cancel", "POST, OPTIONS"),
            Map.entry("/kite-sim/session/token", "POST, DELETE, OPTIONS"),
            Map.entry("/kite-sim/user/profile", "GET, HEAD, OPTIONS"));

    private AllowedMethods() {
    }

    public static Optional<String> at(String path) {
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return Optional.ofNullable(BY_PATH.get(normalized));
    }

    static Map<String, String> all() {
        return BY_PATH;
    }
}
