package dev.kitetoken.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 21: the status page's events read as a person says them, not as machine words. */
class PageEventTest {

    @ParameterizedTest
    @CsvSource({
            "issued, login, Logged in",
            "issued, restored, Token written back to Redis after Redis lost it",
            "invalidated, relogin, Replaced by a new login",
            "invalidated, logout, Logged out",
            "invalidated, reported, 'Reported dead by a trading pod, and Kite confirmed it'",
            "invalidated, kite-rejected, Rejected by Kite (found by the periodic check)",
            "expired, cutoff, Expired at 06:00" })
    void everyEventOfDocsEventsIsInWords(String type, String reason, String words) {
        assertThat(PageEvent.of(type, reason, "09:02 IST today", LocalTime.of(6, 0)).what()).isEqualTo(words);
    }
}
