package dev.kitetoken.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ExpiryTextTest {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");

    @Test
    void aTokenFromThisMorningRunsUntilSixTomorrow() {
        ExpiryText text = ExpiryText.of("2026-11-30T06:00:00+05:30", Instant.parse("2026-11-29T01:32:00Z"), IST);
        assertThat(text.until()).isEqualTo("06:00 IST tomorrow");
        assertThat(text.left()).isEqualTo("22 h 58 min left");
        assertThat(text).hasToString("until 06:00 IST tomorrow \u2014 22 h 58 min left");
    }

    @Test
    void justAfterMidnightTheCutoffIsToday() {
        ExpiryText text = ExpiryText.of("2026-11-30T06:00:00+05:30", Instant.parse("2026-11-29T18:40:00Z"), IST);
        assertThat(text.until()).isEqualTo("06:00 IST today");
        assertThat(text.left()).isEqualTo("5 h 50 min left");
    }

    @Test
    void anExpiryStoredWithAnotherOffsetIsShownInTheConfiguredZone() {
        ExpiryText text = ExpiryText.of("2026-12-02T00:30:00Z", Instant.parse("2026-11-29T00:00:00Z"), IST);
        assertThat(text.until()).isEqualTo("06:00 IST on Wed 2 Dec");
    }

    @Test
    void anEventTimeReadsAsTodayYesterdayOrItsDate() {
        Instant now = Instant.parse("2026-11-29T04:00:00Z");
        assertThat(ExpiryText.when("2026-11-29T09:02:00+05:30", now, IST)).isEqualTo("09:02 IST today");
        assertThat(ExpiryText.when("2026-11-28T06:00:00+05:30", now, IST)).isEqualTo("06:00 IST yesterday");
        assertThat(ExpiryText.when("2026-11-25T06:00:00+05:30", now, IST)).isEqualTo("06:00 IST on Wed 25 Nov");
    }

    @Test
    void theLastMinutesAndAPassedExpiryReadPlainly() {
        assertThat(ExpiryText.left(Duration.ofMinutes(59))).isEqualTo("59 min left");
        assertThat(ExpiryText.left(Duration.ofSeconds(30))).isEqualTo("less than a minute left");
        assertThat(ExpiryText.left(Duration.ZERO)).isEqualTo("expired");
    }
}
