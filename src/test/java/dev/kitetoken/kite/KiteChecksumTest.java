package dev.kitetoken.kite;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;

class KiteChecksumTest {

    private static final String API_KEY = "abcdefgh12345678";
    private static final String REQUEST_TOKEN = "RqT0kenRqT0kenRqT0kenRqT0kenRqT0";
    private static final String API_SECRET = "s3cr3ts3cr3ts3cr3ts3cr3ts3cr3t00";

    /**
     * The vector of ../shared/kite-api.md section 2. Its stated digest (59dda36f…) is not the SHA-256 of
     * these inputs by any tool: `printf '%s' abcdefgh12345678RqT0ken…s3cr3t00 | sha256sum`, Python's
     * hashlib and commons-codec (which the official Java SDK's sha256Hex uses) all give c70fccae…, so that
     * is the value pinned here.
     */
    @Test
    void isTheSha256HexOfKeyTokenAndSecretConcatenated() {
        assertThat(KiteChecksum.of(API_KEY, REQUEST_TOKEN, API_SECRET))
                .isEqualTo("c70fccae5cc82e93ff85a3398804428da1338758222ffe7200fc6b9870ed8ef9");
    }

    @Test
    void agreesWithTheDigestLibraryOfTheOfficialJavaSdk() {
        assertThat(KiteChecksum.of(API_KEY, REQUEST_TOKEN, API_SECRET))
                .isEqualTo(DigestUtils.sha256Hex(API_KEY + REQUEST_TOKEN + API_SECRET));
    }
}
