package dev.kitetoken.token;

import dev.kitetoken.hashing.Sha256;

/** The name logs, events, pages and Redis keys give a token, so that none of them carries the token. */
public final class TokenIds {

    private TokenIds() {
    }

    /** The public name of an access token: the first 16 hex characters of its SHA-256. */
    public static String tokenId(String accessToken) {
        return Sha256.hex(accessToken).substring(0, 16);
    }
}
