package dev.kitetoken.auth;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;

import dev.kitetoken.token.TokenIds;

/**
 * A set of bearer secrets checked in constant time. Both sides are hashed first, so the comparison takes
 * the same time whatever the presented value's length, and every configured secret is always compared.
 */
public final class BearerSecrets {

    private final List<byte[]> digests;

    public BearerSecrets(Collection<String> secrets) {
        this.digests = secrets.stream().map(String::strip).filter(s -> !s.isEmpty()).map(TokenIds::sha256).toList();
    }

    public boolean matches(String presented) {
        byte[] candidate = TokenIds.sha256(presented);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, candidate);
        }
        return match;
    }
}
