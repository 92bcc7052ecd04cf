package dev.kitetoken.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskedUserIdTest {

    @Test
    void showsTheFirstTwoAndLastTwoCharacters() {
        assertThat(MaskedUserId.of("AB1234")).isEqualTo("AB**34");
        assertThat(MaskedUserId.of("SIM001")).isEqualTo("SI**01");
        assertThat(MaskedUserId.of("ZZ99999")).isEqualTo("ZZ***99");
    }

    @Test
    void aShortIdKeepsOnlyItsFirstCharacter() {
        assertThat(MaskedUserId.of("AB12")).isEqualTo("A***");
        assertThat(MaskedUserId.of("")).isEmpty();
    }
}
