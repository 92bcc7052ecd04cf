package dev.kitetoken.client.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.neovisionaries.ws.client.OpeningHandshakeException;
import com.zerodhatech.kiteconnect.kitehttp.exceptions.KiteException;
import com.zerodhatech.models.Order;
import com.zerodhatech.models.Tick;
import com.zerodhatech.ticker.KiteTicker;
import com.zerodhatech.ticker.OnConnect;
import com.zerodhatech.ticker.OnDisconnect;
import com.zerodhatech.ticker.OnError;
import com.zerodhatech.ticker.OnOrderUpdate;
import com.zerodhatech.ticker.OnTicks;

import dev.kitetoken.client.Backoff;
import dev.kitetoken.client.KiteToken;
import dev.kitetoken.client.TokenFollower;
import dev.kitetoken.client.TokenListener;

/**
 * One logical ticker over the official SDK's {@link KiteTicker}, which fixes the token in its address when it is
 * built: on a real token change the old one is closed and a new one built with the new token, the same listeners,
 * and the caller's subscriptions and modes replayed. At most one WebSocket is open at any time (Kite allows three
 * per api_key). An upgrade refused with 403 is a dead token: it is reported to the service and never retried; the
 * next token brings the ticker back. With no token (cutoff, logout) the ticker is stopped until one comes.
 * <p>
 * The SDK's own reconnection is left off: it retries the address of the token it was built with and starts a
 * timer thread per attempt. A connection lost for another reason is reopened here, with back-off and jitter.
 * Every change of the connection happens on one thread ({@code kite-ticker}), in order.
 */
public final class FollowingTicker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FollowingTicker.class.getName());
    /** nv-websocket-client closes a socket whose peer does not answer its close frame after 10 s. */
    private static final long CLOSE_WAIT_SECONDS = 12;

    private final TokenFollower follower;
    private final Backoff backoff;
    private final ScheduledThreadPoolExecutor worker;
    private final TokenListener listener = token -> execute(() -> follow(token));

    private volatile OnTicks onTicks;
    private volatile OnConnect onConnect;
    private volatile OnDisconnect onDisconnect;
    private volatile OnError onError;
    private volatile OnOrderUpdate onOrderUpdate;

    /** The caller's subscriptions and their modes; guarded by itself. */
    private final Map<Long, String> modes = new LinkedHashMap<>();
    private volatile boolean wanted;
    private volatile boolean closed;

    // Changed only on the worker thread (read by the SDK's threads too).
    private volatile Connection connection;
    private String refusedTokenId;
    private int failures;
    private ScheduledFuture<?> retry;

    public FollowingTicker(TokenFollower follower) {
        this(follower, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)));
    }

    public FollowingTicker(TokenFollower follower, Backoff backoff) {
        this.follower = follower;
        this.backoff = backoff;
        this.worker = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "kite-ticker");
            thread.setDaemon(true);
            return thread;
        });
        worker.setRemoveOnCancelPolicy(true);
    }

    public void setOnTickerArrivalListener(OnTicks listener) {
        this.onTicks = listener;
    }

    public void setOnConnectedListener(OnConnect listener) {
        this.onConnect = listener;
    }

    public void setOnDisconnectedListener(OnDisconnect listener) {
        this.onDisconnect = listener;
    }

    public void setOnErrorListener(OnError listener) {
        this.onError = listener;
    }

    public void setOnOrderUpdateListener(OnOrderUpdate listener) {
        this.onOrderUpdate = listener;
    }

    /** Connects now if there is a token, and follows the token from then on. */
    public void connect() {
        if (closed) {
            throw new IllegalStateException("this ticker is closed");
        }
        wanted = true;
        follower.removeListener(listener);
        follower.addListener(listener);
        execute(() -> follow(follower.current()));
    }

    /** Subscribes (in quote mode, as the SDK does); kept and replayed on every new connection. */
    public void subscribe(List<Long> instruments) {
        ArrayList<Long> tokens = new ArrayList<>(instruments);
        synchronized (modes) {
            tokens.forEach(token -> modes.put(token, KiteTicker.modeQuote));
        }
        execute(() -> whenOpen(ticker -> ticker.subscribe(tokens)));
    }

    public void unsubscribe(List<Long> instruments) {
        ArrayList<Long> tokens = new ArrayList<>(instruments);
        synchronized (modes) {
            tokens.forEach(modes::remove);
        }
        execute(() -> whenOpen(ticker -> ticker.unsubscribe(tokens)));
    }

    /** Sets the mode ({@link KiteTicker#modeLTP}, {@code modeQuote}, {@code modeFull}) of subscribed instruments. */
    public void setMode(List<Long> instruments, String mode) {
        ArrayList<Long> tokens = new ArrayList<>();
        synchronized (modes) {
            for (Long token : instruments) {
                if (modes.containsKey(token)) {
                    modes.put(token, mode);
                    tokens.add(token);
                }
            }
        }
        if (!tokens.isEmpty()) {
            execute(() -> whenOpen(ticker -> ticker.setMode(tokens, mode)));
        }
    }

    /** Whether a WebSocket is open now. */
    public boolean isConnectionOpen() {
        Connection open = connection;
        return open != null && open.ticker.isConnectionOpen();
    }

    /** Closes the connection and stops following the token; {@link #connect()} starts again. */
    public void disconnect() {
        wanted = false;
        follower.removeListener(listener);
        execute(() -> stop("disconnect() was called"));
    }

    /** Closes the connection and ends the ticker's thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        disconnect();
        closed = true;
        worker.shutdown();
        try {
            if (!worker.awaitTermination(CLOSE_WAIT_SECONDS + 5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Runnable task) {
        if (!closed) {
            try {
                worker.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: nothing more to do
            }
        }
    }

    private void follow(Optional<KiteToken> token) {
        if (!wanted) {
            return;
        }
        if (token.isEmpty()) {
            stop("the service has no token");
            return;
        }
        KiteToken next = token.get();
        if (connection != null && connection.token.tokenId().equals(next.tokenId())) {
            return; // the same token: the connection stays as it is
        }
        if (connection != null) {
            stop("the token changed to token_id " + next.tokenId());
        }
        if (next.tokenId().equals(refusedTokenId)) {
            return; // Kite refused it: wait for the next one
        }
        open(next);
    }

    private void open(KiteToken token) {
        cancelRetry();
        Connection opening = new Connection(token);
        connection = opening;
        opening.ticker.connect(); // blocking; a failure reaches opening's error listener
        if (opening.ticker.isConnectionOpen()) {
            failures = 0;
            replay(opening.ticker);
            LOG.log(System.Logger.Level.INFO, "Ticker connected with token_id {0}", token.tokenId());
            OnConnect listener = onConnect;
            if (listener != null) {
                listener.onConnected();
            }
            return;
        }
        connection = null;
        opening.closed.countDown();
        if (opening.refused()) {
            refusedTokenId = token.tokenId();
            LOG.log(System.Logger.Level.WARNING, "Kite refused the ticker's token_id {0} (403): reporting it and waiting for the next token",
                    token.tokenId());
            follower.reportDead(token).whenComplete((result, failure) -> {
                if (failure == null && !result.invalidated() && token.tokenId().equals(result.currentTokenId())) {
                    // The service says Kite still accepts it: the refusal had another cause, so try it again later.
                    execute(() -> {
                        refusedTokenId = null;
                        scheduleRetry();
                    });
                }
            });
            return;
        }
        scheduleRetry();
    }

    private void replay(KiteTicker ticker) {
        Map<String, ArrayList<Long>> byMode = new LinkedHashMap<>();
        ArrayList<Long> all;
        synchronized (modes) {
            all = new ArrayList<>(modes.keySet());
            modes.forEach((token, mode) -> byMode.computeIfAbsent(mode, m -> new ArrayList<>()).add(token));
        }
        if (!all.isEmpty()) {
            ticker.subscribe(all);
            byMode.forEach((mode, tokens) -> ticker.setMode(tokens, mode));
        }
    }

    private void stop(String why) {
        cancelRetry();
        Connection open = connection;
        if (open == null) {
            return;
        }
        connection = null;
        open.closing = true;
        boolean wasOpen = open.ticker.isConnectionOpen();
        open.ticker.disconnect();
        try {
            // The next connection opens only once this one is gone: never two for one logical ticker.
            if (wasOpen && !open.closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "The ticker with token_id {0} did not close within {1} s", open.token.tokenId(), CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, "Ticker with token_id {0} closed: {1}", open.token.tokenId(), why);
    }

    /** A connection lost without being asked to close: reopened after a pause, with the token current by then. */
    private void lost(Connection lost) {
        if (connection != lost) {
            return;
        }
        connection = null;
        LOG.log(System.Logger.Level.WARNING, "Ticker connection with token_id {0} lost", lost.token.tokenId());
        scheduleRetry();
    }

    private void scheduleRetry() {
        cancelRetry();
        if (!wanted || closed) {
            return;
        }
        failures++;
        Duration pause = backoff.after(failures);
        retry = worker.schedule(() -> {
            retry = null;
            follow(follower.current());
        }, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void whenOpen(java.util.function.Consumer<KiteTicker> action) {
        Connection open = connection;
        if (open != null && open.ticker.isConnectionOpen()) {
            action.accept(open.ticker);
        }
    }

    /** One SDK ticker, for one token, with listeners that know which connection they belong to. */
    private final class Connection {

        final KiteToken token;
        final KiteTicker ticker;
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean closing;
        volatile Exception connectFailure;

        Connection(KiteToken token) {
            this.token = token;
            this.ticker = new KiteTicker(token.accessToken(), token.apiKey());
            ticker.setTryReconnection(false);
            ticker.setOnTickerArrivalListener(this::ticks);
            ticker.setOnConnectedListener(() -> {
            });
            ticker.setOnDisconnectedListener(this::disconnected);
            ticker.setOnOrderUpdateListener(this::orderUpdate);
            ticker.setOnErrorListener(new OnError() {
                @Override
                public void onError(Exception e) {
                    connectFailure = e;
                    OnError listener = onError;
                    if (listener != null) {
                        listener.onError(e);
                    }
                }

                @Override
                public void onError(KiteException e) {
                    OnError listener = onError;
                    if (listener != null) {
                        listener.onError(e);
                    }
                }

                @Override
                public void onError(String error) {
                    OnError listener = onError;
                    if (listener != null) {
                        listener.onError(error);
                    }
                }
            });
        }

        boolean refused() {
            return connectFailure instanceof OpeningHandshakeException handshake && handshake.getStatusLine().getStatusCode() == 403;
        }

        private void ticks(ArrayList<Tick> ticks) {
            OnTicks listener = onTicks;
            if (listener != null && connection == this) {
                listener.onTicks(ticks);
            }
        }

        private void orderUpdate(Order order) {
            OnOrderUpdate listener = onOrderUpdate;
            if (listener != null) {
                listener.onOrderUpdate(order);
            }
        }

        private void disconnected() {
            closed.countDown();
            OnDisconnect listener = onDisconnect;
            if (listener != null) {
                listener.onDisconnected();
            }
            if (!closing) {
                execute(() -> lost(this));
            }
        }
    }
}
