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
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private LoginCookie() {
    }

    static NewCookie issue(String state, URI publicUrl) {
        return cookie(state, publicUrl, (int) LoginStateStore.LIFETIME.toSeconds());
    }

    /** The same cookie, expired: the browser drops it. */
    static NewCookie cleared(URI publicUrl) {
        return cookie("", publicUrl, 0);
    }

    private static NewCookie cookie(String value, URI publicUrl, int maxAge) {
        // Secure, except over plain http to a non-local host, where a browser would drop a Secure cookie.
        boolean secure = "https".equals(publicUrl.getScheme()) || LOCAL_HOSTS.contains(publicUrl.getHost());
        return new NewCookie.Builder(NAME)
                .value(value)
                .path("/")
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
