package dev.kitetoken.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The long-poll's remaining wait: never a timer Vert.x refuses (under 1 ms), so every wait ends. */
class WaitLeftTest {

    private static final long NOW = 5_000_000_000L;

    @Test
    void underOneMillisecondLeftIsNoWait() {
        // A timer armed for 999.9 ms fires at 999 ms; the 0.9 ms left must end the wait, not re-arm it.
        assertThat(LongPoll.waitLeft(NOW + 900_000, NOW)).isEmpty();
        assertThat(LongPoll.waitLeft(NOW + 999_999, NOW)).isEmpty();
        assertThat(LongPoll.waitLeft(NOW, NOW)).isEmpty();
        assertThat(LongPoll.waitLeft(NOW - 5_000_000, NOW)).isEmpty();
    }

    @Test
    void otherwiseWholeMillisecondsOfAtLeastOne() {
        assertThat(LongPoll.waitLeft(NOW + 1_000_000, NOW)).contains(Duration.ofMillis(1));
        assertThat(LongPoll.waitLeft(NOW + 1_999_999, NOW)).contains(Duration.ofMillis(1));
        assertThat(LongPoll.waitLeft(NOW + 59_999_999_999L, NOW)).contains(Duration.ofMillis(59_999));
    }
}
