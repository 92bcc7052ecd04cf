package dev.kitetoken.token;

import java.time.Duration;
import java.util.regex.Pattern;

import dev.kitetoken.web.ProblemException;

/** What the token endpoints accept from a caller, checked: each bad value becomes a 400 problem that says why. */
final class TokenRequests {

    static final int MAX_WAIT_SECONDS = 60;
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("[A-Za-z0-9]{1,256}");

    private TokenRequests() {
    }

    static Duration waitFor(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        try {
            int seconds = Integer.parseInt(wait);
            if (seconds >= 0 && seconds <= MAX_WAIT_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(400, "Invalid wait", "wait is a whole number of seconds from 0 to " + MAX_WAIT_SECONDS + ".");
    }

    static String reportedTokenId(InvalidationRequest request) {
        if (request == null || (request.tokenId() == null) == (request.accessToken() == null)) {
            throw new ProblemException(400, "Name one token",
                    "Send a JSON body with exactly one of token_id (16 hex characters) or access_token.");
        }
        if (request.tokenId() != null) {
            if (!TOKEN_ID.matcher(request.tokenId()).matches()) {
                throw new ProblemException(400, "Invalid token_id", "token_id is 16 lower-case hex characters.");
            }
            return request.tokenId();
        }
        if (!ACCESS_TOKEN.matcher(request.accessToken()).matches()) {
            throw new ProblemException(400, "Invalid access_token", "access_token is letters and digits.");
        }
        return TokenIds.tokenId(request.accessToken());
    }
}
