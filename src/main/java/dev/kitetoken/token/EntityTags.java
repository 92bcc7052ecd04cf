package dev.kitetoken.token;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The tokens an If-None-Match names (RFC 9110 §13.1.2): {@code *} (any current token) or a list of entity
 * tags, weak or strong (compared weakly, as the RFC asks for If-None-Match). Our tags are token_ids.
 */
record EntityTags(boolean any, Set<String> tokenIds) {

    /** Null when the header is absent or empty: the caller has no token yet. */
    static EntityTags parse(String ifNoneMatch) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return null;
        }
        if (ifNoneMatch.strip().equals("*")) {
            return new EntityTags(true, Set.of());
        }
        if (ifNoneMatch.indexOf(',') < 0) {
            // The sidecars' case on every long-poll: one tag, no list to build.
            String tag = bare(ifNoneMatch);
            return tag.isEmpty() ? null : new EntityTags(false, Set.of(tag));
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String part : ifNoneMatch.split(",")) {
            String tag = bare(part);
            if (!tag.isEmpty()) {
                ids.add(tag);
            }
        }
        return ids.isEmpty() ? null : new EntityTags(false, Set.copyOf(ids));
    }

    /** A tag without its weakness marker and quotes. */
    private static String bare(String tag) {
        String stripped = tag.strip();
        if (stripped.startsWith("W/")) {
            stripped = stripped.substring(2);
        }
        return stripped.replace("\"", "").strip();
    }

    /** Whether the caller already has the token with this id (a current token always matches {@code *}). */
    boolean match(String currentTokenId) {
        return currentTokenId != null && (any || tokenIds.contains(currentTokenId));
    }
}
