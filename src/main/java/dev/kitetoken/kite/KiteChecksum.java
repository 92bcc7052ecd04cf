package dev.kitetoken.kite;

import dev.kitetoken.token.TokenIds;

/** The checksum Kite asks for on {@code POST /session/token}; a secret in its own right, never logged. */
public final class KiteChecksum {

    private KiteChecksum() {
    }

    public static String of(String apiKey, String requestToken, String apiSecret) {
        return TokenIds.sha256Hex(apiKey + requestToken + apiSecret);
    }
}
