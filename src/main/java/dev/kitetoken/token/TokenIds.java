package dev.kitetoken.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes that let logs, events and Redis keys name a secret without carrying it. */
public final class TokenIds {

    private TokenIds() {
    }

    /** The public name of an access token: the first 16 hex characters of its SHA-256. */
    public static String tokenId(String accessToken) {
        return sha256Hex(accessToken).substring(0, 16);
    }

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
