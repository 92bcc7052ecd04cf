package dev.kitetoken.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

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
    private final AtomicReference<CompletableFuture<Void>> nextChange = new AtomicReference<>(new CompletableFuture<>());

    /** To the Server-Sent Events clients; long-polls are woken by {@link #signalChange()}. */
    public synchronized void publish(TokenEvent event) {
        events.onNext(event);
    }

    /**
     * Wakes every waiter: the token may have changed (an event, or a reconciliation after a reconnect).
     * Called once the replica's near copy is fresh again, so that the woken waiters answer from memory.
     */
    public void signalChange() {
        nextChange.getAndSet(new CompletableFuture<>()).complete(null);
    }

    /**
     * Completes at the next change. Take it before reading the current token, so that a change between
     * the read and the wait is not missed. Each caller gets its own copy: a waiter that gives up cancels
     * its copy, never the shared future the other waiters depend on.
     */
    public CompletableFuture<Void> nextChange() {
        return nextChange.get().copy();
    }

    public Multi<TokenEvent> events() {
        return events;
    }
}
