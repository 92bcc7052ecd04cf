package dev.kitetoken.token;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.kitetoken.kite.KiteClient;
import dev.kitetoken.kite.KiteClient.Verdict;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * While Redis cannot be read, a replica serves the last token it knew; but a re-login or logout through
 * another replica may have killed it meanwhile, and no event can arrive to say so. So Kite is asked
 * ({@code GET /user/profile}) whether it still accepts the token: one call at a time for the whole replica,
 * at most every {@link #EVERY}; a TokenException drops the token. Kite unreachable is no answer: the token
 * stays served.
 */
@ApplicationScoped
public class LastKnownCheck {

    private static final Logger LOG = Logger.getLogger(LastKnownCheck.class);
    static final Duration EVERY = Duration.ofSeconds(10);

    private final KiteClient kite;
    private final Executor executor;
    private final AtomicBoolean asking = new AtomicBoolean();
    private volatile long lastAsked = System.nanoTime() - EVERY.toNanos();

    @Inject
    LastKnownCheck(KiteClient kite) {
        this(kite, Infrastructure.getDefaultWorkerPool());
    }

    LastKnownCheck(KiteClient kite, Executor executor) {
        this.kite = kite;
        this.executor = executor;
    }

    /** Asks Kite now, on the caller's thread: whether it rejects the token; false when it accepts it or cannot say. */
    public boolean rejectedNow(CurrentToken token) {
        try {
            return kite.checkToken(token.accessToken()) == Verdict.REJECTED;
        } catch (RuntimeException e) {
            LOG.debugf("Kite could not say whether token %s still works (%s)", token.session().tokenId(), e.getClass().getSimpleName());
            return false;
        }
    }

    /**
     * The last known token is about to be served without Redis: asks Kite about it when the last question
     * is at least {@link #EVERY} old and none is under way; {@code onRejected} gets the token_id if Kite
     * rejects it.
     */
    public void serving(CurrentToken token, Consumer<String> onRejected) {
        if (System.nanoTime() - lastAsked < EVERY.toNanos() || !asking.compareAndSet(false, true)) {
            return;
        }
        lastAsked = System.nanoTime();
        String tokenId = token.session().tokenId();
        executor.execute(() -> {
            try {
                if (kite.checkToken(token.accessToken()) == Verdict.REJECTED) {
                    LOG.warnf("Kite rejects token %s, kept while Redis is unreachable: no longer served", tokenId);
                    onRejected.accept(tokenId);
                }
            } catch (RuntimeException e) {
                LOG.debugf("Kite could not say whether token %s still works (%s): still served", tokenId, e.getClass().getSimpleName());
            } finally {
                lastAsked = System.nanoTime();
                asking.set(false);
            }
        });
    }
}
