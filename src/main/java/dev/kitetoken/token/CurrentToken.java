package dev.kitetoken.token;

import java.time.Instant;
import java.time.OffsetDateTime;

/** The access token and its session, read together. {@link #toString()} leaves the token out. */
public record CurrentToken(String accessToken, StoredSession session) {

    public Instant expiresAt() {
        return OffsetDateTime.parse(session.expiresAt()).toInstant();
    }

    @Override
    public String toString() {
        return "CurrentToken[tokenId=" + session.tokenId() + ", userId=" + session.userId() + "]";
    }
}
