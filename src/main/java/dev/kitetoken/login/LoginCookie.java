package dev.kitetoken.login;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.ws.rs.core.NewCookie;

/**
 * Binds a login to the browser that started it: /login sets the state in an HttpOnly, SameSite=Lax cookie
 * and the callback must carry the same value. A callback URL sent to someone else (or opened in another
 * browser) cannot complete a login into this app.
 */
final class LoginCookie {

    static final String NAME = "kite_login";
    /**
     * Left by the callback that used {@link #NAME}, holding the same (now spent) state, on /callback only: a
     * refresh or a second Log in on Kite's page in this browser gets the first outcome; any other browser is
     * still refused.
     */
    static final String FINISHED_NAME = "kite_login_finished";
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private LoginCookie() {
    }

    static NewCookie issue(String state, URI publicUrl) {
        return cookie(NAME, state, "/", publicUrl, (int) LoginStateStore.LIFETIME.toSeconds());
    }

    /** The same cookie, expired: the browser drops it. */
    static NewCookie cleared(URI publicUrl) {
        return cookie(NAME, "", "/", publicUrl, 0);
    }

    /** The spent state, for as long as the outcome of its login is kept. */
    static NewCookie finished(String state, URI publicUrl) {
        return cookie(FINISHED_NAME, state, "/callback", publicUrl, (int) RequestTokenLedger.LIFETIME.toSeconds());
    }

    private static NewCookie cookie(String name, String value, String path, URI publicUrl, int maxAge) {
        // Secure, except over plain http to a non-local host, where a browser would drop a Secure cookie.
        boolean secure = "https".equals(publicUrl.getScheme()) || LOCAL_HOSTS.contains(publicUrl.getHost());
        return new NewCookie.Builder(name)
                .value(value)
                .path(path)
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.LAX)
                .build();
    }

    static boolean matches(String cookie, String state) {
        return cookie != null && state != null
                && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8));
    }
}
