package dev.kitetoken.kite;

/**
 * What a successful exchange gives us. {@link #toString()} leaves the token out, so the record can be
 * logged or end up in an exception message without leaking it.
 */
public record KiteSession(String accessToken, String userId, String userName, String loginTime) {

    @Override
    public String toString() {
        return "KiteSession[userId=" + userId + ", userName=" + userName + ", loginTime=" + loginTime + "]";
    }
}
