package dev.kitetoken.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class KiteTokenTest {

    private static final String ACCESS_TOKEN = "Zq9xWv3LmT0pR7sY2kB5nC8dF1gH4jKa";
    private static final String BODY = "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"api_key\":\"abcdefgh12345678\",\"user_id\":\"AB1234\","
            + "\"user_name\":\"Trader\",\"login_time\":\"2026-12-03T09:01:02+05:30\",\"expires_at\":\"2026-12-04T06:00:00+05:30\","
            + "\"token_id\":\"4d42183b950a4e7c\"}";

    @Test
    void readsTheServicesAnswer() {
        KiteToken token = KiteToken.fromJson(BODY);
        assertEquals(ACCESS_TOKEN, token.accessToken());
        assertEquals("4d42183b950a4e7c", token.tokenId());
        assertEquals("abcdefgh12345678", token.apiKey());
        assertEquals("AB1234", token.userId());
        assertEquals(Instant.parse("2026-12-04T00:30:00Z"), token.expiresAt());
        assertFalse(token.isExpiredAt(Instant.parse("2026-12-04T00:29:59Z")));
        assertTrue(token.isExpiredAt(Instant.parse("2026-12-04T00:30:00Z")));
    }

    @Test
    void itsTextNamesItByTokenIdOnly() {
        String text = KiteToken.fromJson(BODY).toString();
        assertTrue(text.contains("4d42183b950a4e7c"), text);
        assertFalse(text.contains(ACCESS_TOKEN), text);
    }

    @Test
    void aBrokenBodyIsRefusedWithoutQuotingIt() {
        String broken = BODY.replace("\"expires_at\":\"2026-12-04T06:00:00+05:30\"", "\"expires_at\":\"tomorrow\"");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> KiteToken.fromJson(broken));
        assertFalse(refused.getMessage().contains(ACCESS_TOKEN), refused.getMessage());
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class, () -> KiteToken.fromJson(BODY.substring(0, 40)));
        assertFalse(truncated.getMessage().contains(ACCESS_TOKEN.substring(0, 10)), truncated.getMessage());
    }
}
