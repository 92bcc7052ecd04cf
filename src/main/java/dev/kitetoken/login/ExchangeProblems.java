package dev.kitetoken.login;

import java.time.Duration;
import java.util.Map;

import dev.kitetoken.kite.KiteException;
import dev.kitetoken.web.ProblemException;

/** A failed exchange at Kite as the person at the callback reads it: what happened and what to do next. */
final class ExchangeProblems {

    private ExchangeProblems() {
    }

    static ProblemException of(KiteException e, Duration kiteTimeout) {
        return switch (e.failure()) {
            case REQUEST_TOKEN_REJECTED -> ProblemException.restartLogin(400, "Login link expired or already used",
                    "Kite says this login link is invalid or has expired (each works once, for a few minutes). Start again at /login.");
            case CHECKSUM_REJECTED -> new ProblemException(502, "Kite rejected the checksum",
                    "The api_secret does not match the api_key: check KITE_API_SECRET and KITE_API_KEY.");
            case REQUEST_REJECTED -> new ProblemException(502, "Kite refused the exchange",
                    "Kite refused the token exchange (HTTP " + e.kiteStatus() + "). Check KITE_API_KEY.");
            case RATE_LIMITED -> new ProblemException(503, "Kite's rate limit was hit",
                    "Kite refused the exchange because of its rate limit. Wait a few seconds, then start again at /login.",
                    true, Map.of("Retry-After", "5"));
            case UNAVAILABLE -> new ProblemException(502, "Kite is unavailable",
                    "Kite answered with a server error (HTTP " + e.kiteStatus() + "). Try again at /login in a minute.", true, Map.of());
            case MALFORMED_RESPONSE -> new ProblemException(502, "Kite answered with something unexpected",
                    "Kite's answer to the token exchange was not the JSON it documents. Try again at /login.", true, Map.of());
            case TIMEOUT -> new ProblemException(504, "Kite did not answer in time",
                    "Kite did not answer the token exchange within " + kiteTimeout.toMillis() + " ms. Try again at /login.",
                    true, Map.of());
            case UNREACHABLE -> new ProblemException(502, "Kite could not be reached",
                    "The service could not connect to Kite. Check KITE_API_URL and the network, then try again at /login.", true, Map.of());
        };
    }
}
