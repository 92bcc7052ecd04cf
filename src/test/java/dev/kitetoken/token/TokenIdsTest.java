package dev.kitetoken.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenIdsTest {

    @Test
    void aTokenIdIsTheFirstSixteenHexCharactersOfItsSha256() {
        // printf 'abc' | sha256sum -> ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assertThat(TokenIds.tokenId("abc")).isEqualTo("ba7816bf8f01cfea");
    }
}
