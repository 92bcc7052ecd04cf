package dev.kitetoken.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenExpiryTest {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");

    @ParameterizedTest(name = "issued {0} IST -> expires {1} IST")
    @CsvSource({
            "2026-11-28T05:59:59, 2026-11-28T06:00:00",
            "2026-11-28T06:00:00, 2026-11-29T06:00:00",
            "2026-11-28T06:00:01, 2026-11-29T06:00:00",
            "2026-11-28T00:00:00, 2026-11-28T06:00:00",
            "2026-11-28T23:59:00, 2026-11-29T06:00:00",
            "2026-11-28T23:59:59, 2026-11-29T06:00:00",
            "2026-11-28T12:00:00, 2026-11-29T06:00:00",
            "2026-11-28T08:00:00, 2026-11-29T06:00:00",
            "2026-12-31T09:15:00, 2027-01-01T06:00:00",
            "2028-02-28T10:00:00, 2028-02-29T06:00:00" })
    void expiresAtTheNextSixAmIstStrictlyAfterIssue(LocalDateTime issuedIst, LocalDateTime expectedIst) {
        TimeZone original = TimeZone.getDefault();
        try {
            for (String hostZone : new String[] { "UTC", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati" }) {
                ZonedDateTime issued = issuedIst.atZone(IST);
                // The host's zone, as the clock's zone and as the JVM's default, must not change the answer.
                TimeZone.setDefault(TimeZone.getTimeZone(hostZone));
                Clock clock = Clock.fixed(issued.toInstant(), ZoneId.of(hostZone));
                TokenExpiry expiry = new TokenExpiry(clock, LocalTime.of(6, 0), IST);

                assertThat(expiry.nextCutoff().toInstant()).as("host zone %s", hostZone)
                        .isEqualTo(expectedIst.atZone(IST).toInstant());
                assertThat(TokenTimes.format(expiry.nextCutoff())).isEqualTo(expectedIst.toLocalDate() + "T06:00:00+05:30");
            }
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void theDefaultTimeZoneOfTheJvmDoesNotMatter() {
        TimeZone original = TimeZone.getDefault();
        try {
            ZonedDateTime issued = LocalDateTime.parse("2026-11-28T23:30:00").atZone(IST);
            Clock clock = Clock.fixed(issued.toInstant(), ZoneId.of("UTC"));
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            ZonedDateTime inNewYork = new TokenExpiry(clock, LocalTime.of(6, 0), IST).nextCutoff();
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            ZonedDateTime inUtc = new TokenExpiry(clock, LocalTime.of(6, 0), IST).nextCutoff();

            assertThat(inNewYork).isEqualTo(inUtc);
            assertThat(TokenTimes.format(inUtc)).isEqualTo("2026-11-29T06:00:00+05:30");
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void anotherExpiryTimeAndZoneAreHonoured() {
        ZonedDateTime issued = LocalDateTime.parse("2026-03-08T01:00:00").atZone(ZoneId.of("America/New_York"));
        TokenExpiry expiry = new TokenExpiry(Clock.fixed(issued.toInstant(), ZoneId.of("UTC")), LocalTime.of(3, 0),
                ZoneId.of("America/New_York"));
        // 03:00 on the day clocks jump from 02:00 to 03:00 still exists; it is 07:00 UTC.
        assertThat(expiry.nextCutoff().toInstant().toString()).isEqualTo("2026-03-08T07:00:00Z");
    }
}
