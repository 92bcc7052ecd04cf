package dev.kitetoken.client.sdk;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import com.zerodhatech.kiteconnect.KiteConnect;
import com.zerodhatech.kiteconnect.kitehttp.SessionExpiryHook;
import com.zerodhatech.kiteconnect.kitehttp.exceptions.KiteException;
import com.zerodhatech.kiteconnect.kitehttp.exceptions.TokenException;

import dev.kitetoken.client.KiteToken;
import dev.kitetoken.client.TokenFollower;
import dev.kitetoken.client.TokenListener;

/**
 * Keeps an official SDK {@link KiteConnect} on the current token: its access token is set on every change, and a
 * {@link TokenException} (through the SDK's session-expiry hook, or handed over by the caller) reports the token
 * to the service. {@link #call} also waits for the next token and tries the call once more with it.
 * <p>
 * The SDK's hook is one static field for the whole JVM, whatever the number of {@code KiteConnect} objects; this
 * class installs one hook that tells every kept object (and any hook that was there before), and each reports the
 * token it holds. A report of a token Kite still accepts changes nothing: the service asks Kite before it acts.
 */
public final class CurrentKiteConnect implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CurrentKiteConnect.class.getName());
    private static final Set<CurrentKiteConnect> KEPT = ConcurrentHashMap.newKeySet();
    private static final Object HOOK_LOCK = new Object();
    private static SessionExpiryHook previousHook;
    private static SessionExpiryHook installedHook;

    private final TokenFollower follower;
    private final KiteConnect kite;
    private final Duration waitForNext;
    private final AtomicReference<KiteToken> held = new AtomicReference<>();
    private final TokenListener listener;

    private CurrentKiteConnect(TokenFollower follower, KiteConnect kite, Duration waitForNext) {
        this.follower = follower;
        this.kite = kite;
        this.waitForNext = waitForNext;
        this.listener = token -> token.ifPresent(this::hold);
    }

    /** Keeps {@code kite} current from now on; waits up to 2 minutes for the next token after a refusal. */
    public static CurrentKiteConnect keep(TokenFollower follower, KiteConnect kite) {
        return keep(follower, kite, Duration.ofMinutes(2));
    }

    public static CurrentKiteConnect keep(TokenFollower follower, KiteConnect kite, Duration waitForNext) {
        CurrentKiteConnect kept = new CurrentKiteConnect(follower, kite, waitForNext);
        installHook();
        KEPT.add(kept);
        follower.addListener(kept.listener);
        return kept;
    }

    public KiteConnect kite() {
        return kite;
    }

    /** The token the {@code KiteConnect} holds now. */
    public Optional<KiteToken> token() {
        return Optional.ofNullable(held.get());
    }

    /**
     * Runs one SDK call. When Kite refuses the token, reports it, waits for the next one (bounded) and runs the call
     * once more with it; without a next token in time, the refusal is thrown.
     */
    public <T> T call(KiteCall<T> call) throws KiteException, IOException, InterruptedException {
        KiteToken used = held.get();
        try {
            return call.call(kite);
        } catch (TokenException refused) {
            if (used == null) {
                throw refused;
            }
            Optional<KiteToken> next = follower.reportDeadAndAwaitNext(used, waitForNext);
            if (next.isEmpty() || next.get().tokenId().equals(used.tokenId())) {
                throw refused;
            }
            hold(next.get());
            return call.call(kite);
        }
    }

    /** For a {@link TokenException} caught elsewhere: reports the token this object holds (without waiting). */
    public void tokenRejected(TokenException refused) {
        report();
    }

    /** Stops keeping this object current. */
    @Override
    public void close() {
        follower.removeListener(listener);
        KEPT.remove(this);
    }

    private void hold(KiteToken token) {
        held.set(token);
        kite.setAccessToken(token.accessToken());
    }

    private void report() {
        KiteToken token = held.get();
        if (token != null) {
            follower.reportDead(token).exceptionally(failure -> {
                LOG.log(System.Logger.Level.WARNING, "Could not report token_id {0}: {1}", token.tokenId(), failure.getClass().getSimpleName());
                return null;
            });
        }
    }

    private static void installHook() {
        synchronized (HOOK_LOCK) {
            if (installedHook != null && KiteConnect.sessionExpiryHook == installedHook) {
                return;
            }
            SessionExpiryHook before = KiteConnect.sessionExpiryHook;
            previousHook = before == installedHook ? previousHook : before;
            installedHook = CurrentKiteConnect::sessionExpired;
            KiteConnect.sessionExpiryHook = installedHook;
        }
    }

    private static void sessionExpired() {
        KEPT.forEach(CurrentKiteConnect::report);
        SessionExpiryHook before = previousHook;
        if (before != null) {
            before.sessionExpired();
        }
    }

    /** One call to the SDK, e.g. {@code kite -> kite.getProfile()}. */
    @FunctionalInterface
    public interface KiteCall<T> {
        T call(KiteConnect kite) throws KiteException, IOException;
    }
}
