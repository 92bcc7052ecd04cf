package dev.kitetoken.web;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.NewCookie;

/**
 * An error answered on purpose: a status, a short title and a detail a person can act on. Rendered as
 * problem JSON (RFC 9457) or as an HTML page by {@link ProblemMapper}. Titles and details are written by
 * this service and never contain request input or secrets.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String detail;
    private final boolean offerLogin;
    private final Map<String, String> headers;
    private final List<NewCookie> cookies;

    public ProblemException(int status, String title, String detail, boolean offerLogin, Map<String, String> headers) {
        this(status, title, detail, offerLogin, headers, List.of());
    }

    private ProblemException(int status, String title, String detail, boolean offerLogin, Map<String, String> headers,
            List<NewCookie> cookies) {
        super(title, null, false, false);
        this.cookies = List.copyOf(cookies);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.offerLogin = offerLogin;
        this.headers = Map.copyOf(headers);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, false, Map.of());
    }

    /** A problem whose remedy is to start the login again. */
    public static ProblemException restartLogin(int status, String title, String detail) {
        return new ProblemException(status, title, detail, true, Map.of());
    }

    /** The same problem with these headers added (a cookie to clear, say). */
    public ProblemException withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.putAll(more);
        return new ProblemException(status, title, detail, offerLogin, all, cookies);
    }

    /** The same problem, setting these cookies too (several: a header map holds one Set-Cookie only). */
    public ProblemException withCookies(List<NewCookie> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<NewCookie> all = new java.util.ArrayList<>(cookies);
        all.addAll(more);
        return new ProblemException(status, title, detail, offerLogin, headers, all);
    }

    public List<NewCookie> cookies() {
        return cookies;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public boolean offerLogin() {
        return offerLogin;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
