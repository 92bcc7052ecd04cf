package dev.kitetoken.web;

import java.util.Optional;

/**
 * Whether a session is active, as far as this replica knows without waiting on Redis: an error page that
 * offers a login says that it replaces that session, which the trading pods are using.
 */
public interface ActiveSession {

    /** When the active session ends, in words ("06:00 IST tomorrow"); empty when there is none or it is unknown. */
    Optional<String> until();
}
