package dev.kitetoken.events;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Hands the events this replica hears from Redis to its own listeners: Server-Sent Events clients, and
 * long-polling {@code GET /token} calls waiting for the token to change.
 */
@ApplicationScoped
public class TokenEventBus {

    private final BroadcastProcessor<TokenEvent> events = BroadcastProcessor.create();
    /** The long-polls waiting now; each leaves this set when it is woken, times out or its client goes. */
    private final Set<Change> waiting = ConcurrentHashMap.newKeySet();

    /**
     * One waiter's wake-up. Closing it removes every reference the bus holds to the waiter, so a wait that
     * ends without a change (timed out, client gone) leaves nothing behind.
     */
    public final class Change implements AutoCloseable {
        private final CompletableFuture<Void> wake = new CompletableFuture<>();

        public CompletionStage<Void> wake() {
            return wake;
        }

        @Override
        public void close() {
            waiting.remove(this);
        }
    }

    /** To the Server-Sent Events clients; long-polls are woken by {@link #signalChange()}. */
    public synchronized void publish(TokenEvent event) {
        events.onNext(event);
    }

    /**
     * Wakes every waiter: the token may have changed (an event, or a reconciliation after a reconnect).
     * Called once the replica's near copy is fresh again, so that the woken waiters answer from memory.
     */
    public void signalChange() {
        for (Iterator<Change> waiters = waiting.iterator(); waiters.hasNext();) {
            Change change = waiters.next();
            waiters.remove();
            change.wake.complete(null);
        }
    }

    /**
     * Registers a waiter, woken at the next change. Take it before reading the current token, so that a
     * change between the read and the wait is not missed, and close it when the wait ends however it ends.
     */
    public Change nextChange() {
        Change change = new Change();
        waiting.add(change);
        return change;
    }

    /** How many long-polls wait now (a gauge, and how the tests see that ended waits are gone). */
    public int waiting() {
        return waiting.size();
    }

    public Multi<TokenEvent> events() {
        return events;
    }
}
