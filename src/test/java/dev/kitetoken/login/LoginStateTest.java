package dev.kitetoken.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The signed login state: only this service's, unaltered and under ten minutes old is authentic. */
class LoginStateTest {

    private static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");
    private static final String SECRET = "the-api-secret-of-this-app-0001";

    private final LoginStateStore states = store(SECRET, NOW);

    @Test
    void aStateItIssuedIsAuthenticForTenMinutes() {
        String state = states.issue();

        assertThat(state).matches("[A-Za-z0-9_-]{75}");
        assertThat(states.authentic(state)).isTrue();
        assertThat(store(SECRET, NOW.plus(Duration.ofMinutes(9))).authentic(state)).isTrue();
        assertThat(store(SECRET, NOW.plus(Duration.ofMinutes(10))).authentic(state)).isFalse();
    }

    @Test
    void everyStateIsDifferent() {
        assertThat(states.issue()).isNotEqualTo(states.issue());
    }

    @Test
    void anAlteredStateOrOneSignedWithAnotherSecretIsNot() {
        String state = states.issue();
        for (int i = 0; i < state.length(); i++) {
            char replaced = state.charAt(i) == 'A' ? 'B' : 'A';
            String altered = state.substring(0, i) + replaced + state.substring(i + 1);
            assertThat(states.authentic(altered)).as("changed at %d", i).isFalse();
        }
        assertThat(store("another-secret-of-another-app-01", NOW).authentic(state)).isFalse();
        assertThat(states.authentic(null)).isFalse();
        assertThat(states.authentic("z".repeat(43))).isFalse();
        assertThat(states.authentic(state + "A")).isFalse();
    }

    private static LoginStateStore store(String secret, Instant now) {
        return new LoginStateStore(null, null, secret, Clock.fixed(now, ZoneOffset.UTC));
    }
}
