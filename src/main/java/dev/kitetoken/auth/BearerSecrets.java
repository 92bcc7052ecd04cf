package dev.kitetoken.auth;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;

import dev.kitetoken.hashing.Sha256;

/**
 * A set of bearer secrets checked in constant time. Both sides are hashed first, so the comparison takes
 * the same time whatever the presented value's length, and every configured secret is always compared.
 */
public final class BearerSecrets {

    private static final String SCHEME = "Bearer ";

    private final List<byte[]> digests;

    public BearerSecrets(Collection<String> secrets) {
        this.digests = secrets.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Sha256::bytes).toList();
    }

    /** No secret configured: nothing can match, and the caller should say the feature is off. */
    public boolean isEmpty() {
        return digests.isEmpty();
    }

    /** The secret of an {@code Authorization: Bearer <secret>} header (scheme case-insensitive), or null for any other header. */
    public static String presented(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        return authorization.substring(SCHEME.length()).strip();
    }

    /** Whether the header is a Bearer one with one of these secrets. */
    public boolean admits(String authorization) {
        String presented = presented(authorization);
        return presented != null && matches(presented);
    }

    public boolean matches(String presented) {
        byte[] candidate = Sha256.bytes(presented);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, candidate);
        }
        return match;
    }
}
