package dev.kitetoken.login;

import java.util.regex.Pattern;

import dev.kitetoken.web.ProblemException;

/** What Kite's redirect brings to /callback, checked before anything is claimed or asked of Kite. */
final class CallbackParameters {

    private static final Pattern REQUEST_TOKEN = Pattern.compile("[A-Za-z0-9]{1,64}");

    private CallbackParameters() {
    }

    /** Throws the problem that says what is wrong: a cancelled login, a missing or malformed request_token, another browser. */
    static void check(String status, String requestToken, String state, boolean startedHere, boolean requireState) {
        if ("cancelled".equals(status)) {
            throw ProblemException.restartLogin(400, "Login was cancelled",
                    "The login at Kite was cancelled, so nothing has changed. Log in again to get a token.");
        }
        if (status != null && !"success".equals(status)) {
            throw ProblemException.restartLogin(400, "Login did not succeed",
                    "Kite did not report a successful login. Log in again.");
        }
        if (requestToken == null || requestToken.isEmpty()) {
            throw ProblemException.restartLogin(400, "request_token is missing",
                    "This address is where Kite sends the browser after a login; it needs the request_token Kite adds. Start at /login.");
        }
        if (!REQUEST_TOKEN.matcher(requestToken).matches()) {
            throw ProblemException.restartLogin(400, "request_token is malformed",
                    "A request_token is 1 to 64 letters and digits. Start at /login.");
        }
        if (requireState && state != null && !startedHere) {
            throw ProblemException.restartLogin(400, "Login started in another browser",
                    "This login was not started in this browser (or it blocks cookies), or it finished here more than ten minutes ago: each login link works once. Nothing has changed.");
        }
    }
}
