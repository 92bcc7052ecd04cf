package dev.kitetoken.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Waiters for the next change: woken once, and gone from the bus however their wait ends. */
class TokenEventBusTest {

    private final TokenEventBus bus = new TokenEventBus();

    @Test
    void aChangeWakesEveryWaiterAndKeepsNone() {
        List<TokenEventBus.Change> changes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            changes.add(bus.nextChange());
        }
        bus.signalChange();

        assertThat(changes).allSatisfy(change -> assertThat(change.wake().toCompletableFuture()).isCompleted());
        assertThat(bus.waiting()).isZero();
    }

    @Test
    void waitsThatEndWithoutAChangeLeaveNothingBehind() {
        for (int i = 0; i < 100_000; i++) {
            try (TokenEventBus.Change change = bus.nextChange()) {
                assertThat(change.wake().toCompletableFuture()).isNotDone();
            }
        }
        assertThat(bus.waiting()).isZero();
    }

    @Test
    void aWaiterTakenAfterAChangeWaitsForTheNextOne() {
        bus.signalChange();
        TokenEventBus.Change change = bus.nextChange();

        assertThat(change.wake().toCompletableFuture()).isNotDone();
        bus.signalChange();
        assertThat(change.wake().toCompletableFuture()).isCompleted();
    }
}
