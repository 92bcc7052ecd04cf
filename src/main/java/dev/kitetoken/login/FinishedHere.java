package dev.kitetoken.login;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The logins this replica finished without Redis, by state hash, for as long as the ledger would keep them:
 * while Redis is down, a browser that presses Log in again with a spent login link gets the first outcome
 * instead of an exchange that would kill the token this replica is holding.
 */
@ApplicationScoped
class FinishedHere {

    /** A handful of logins a day; the bound only guards against a flood of forged-but-signed states. */
    private static final int LIMIT = 256;

    private record Entry(ExchangeOutcome outcome, Instant at) {
    }

    private final Map<String, Entry> byState = new ConcurrentHashMap<>();
    private final Clock clock;

    FinishedHere(Clock clock) {
        this.clock = clock;
    }

    void record(String stateHash, ExchangeOutcome outcome) {
        Instant now = clock.instant();
        byState.values().removeIf(e -> e.at().plus(RequestTokenLedger.LIFETIME).isBefore(now));
        if (byState.size() < LIMIT) {
            byState.put(stateHash, new Entry(outcome, now));
        }
    }

    Optional<ExchangeOutcome> outcome(String stateHash) {
        Entry entry = byState.get(stateHash);
        if (entry == null || entry.at().plus(RequestTokenLedger.LIFETIME).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.outcome());
    }
}
