package dev.kitetoken.hashing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 of a string, the one hash every feature uses: token ids, the Kite checksum, bearer digests,
 * the request_token markers, and the HMAC that signs webhooks. A package of its own so that any feature may use it without importing another.
 */
public final class Sha256 {

    private Sha256() {
    }

    public static byte[] bytes(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Lower-case hex, as Kite's checksum wants it. */
    public static String hex(String value) {
        return HexFormat.of().formatHex(bytes(value));
    }

    /** Lower-case hex of HMAC-SHA256(key, message), as GitHub-style webhook signatures carry it. */
    public static String hmacHex(String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
