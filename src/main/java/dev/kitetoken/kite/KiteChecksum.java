package dev.kitetoken.kite;

import dev.kitetoken.hashing.Sha256;

/** The checksum Kite asks for on {@code POST /session/token}; a secret in its own right, never logged. */
public final class KiteChecksum {

    private KiteChecksum() {
    }

    public static String of(String apiKey, String requestToken, String apiSecret) {
        return Sha256.hex(apiKey + requestToken + apiSecret);
    }
}
