package dev.kitetoken.web;

import java.util.Set;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** Content negotiation shared by pages and the API: browsers get HTML, everything else JSON. */
public final class ResponseFormat {

    /** Paths a person opens in a browser; they answer HTML unless JSON is asked for explicitly. */
    private static final Set<String> BROWSER_PATHS = Set.of("/", "/login", "/callback");

    private ResponseFormat() {
    }

    /** Whether to answer HTML: the first acceptable type that names HTML or JSON decides. */
    public static boolean prefersHtml(HttpHeaders headers, String path) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType()) {
                break;
            }
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardSubtype()) {
                return true;
            }
            if (type.getSubtype().endsWith("json")) {
                return false;
            }
        }
        return BROWSER_PATHS.contains(path);
    }

    /** Whether the client asked for the bare token ({@code Accept: text/plain} ahead of JSON). */
    public static boolean prefersPlainText(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType()) {
                return false;
            }
            if (type.isCompatible(MediaType.TEXT_PLAIN_TYPE) && !type.isWildcardSubtype()) {
                return true;
            }
            if (type.getSubtype().endsWith("json")) {
                return false;
            }
        }
        return false;
    }
}
