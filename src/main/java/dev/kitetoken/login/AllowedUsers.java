package dev.kitetoken.login;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.kite.KiteClient;
import dev.kitetoken.kite.KiteSession;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.web.ProblemException;

/**
 * Who may log in: the Kite users in KITE_ALLOWED_USER_IDS. Any Zerodha client can authorise a Kite Connect
 * app, so anyone else's new session is ended at Kite at once and nothing of it is kept.
 */
@ApplicationScoped
class AllowedUsers {

    private static final Logger LOG = Logger.getLogger(AllowedUsers.class);

    private final KiteConfig config;
    private final KiteClient kite;
    private final KiteMetrics metrics;

    AllowedUsers(KiteConfig config, KiteClient kite, KiteMetrics metrics) {
        this.config = config;
        this.kite = kite;
        this.metrics = metrics;
    }

    /** Returns for an allowed user; otherwise logs the session out at Kite and throws the 403 problem. */
    void admit(KiteSession session) {
        if (!config.allowsUser(session.userId())) {
            // Not ours: end the session at Kite at once, so the token is never usable by anyone.
            boolean loggedOut = kite.logout(session.accessToken());
            metrics.exchange("user_not_allowed");
            LOG.warnf("Refused the login of Kite user %s (not in KITE_ALLOWED_USER_IDS); logged out at Kite: %s",
                    session.userId(), loggedOut);
            throw ProblemException.restartLogin(403, "This Kite user may not log in here",
                    "The service only accepts logins by the Kite users in KITE_ALLOWED_USER_IDS. The session was ended at Kite.");
        }
    }
}
