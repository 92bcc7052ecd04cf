package dev.kitetoken.notify;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.core.Response;

/** Somewhere people read messages. {@link #name()} is what logs and metrics call it: never its URL, a secret. */
public interface NotificationChannel {

    String name();

    /** Fails with {@link DeliveryFailed}: {@link DeliveryFailed#permanent()} when trying again cannot help. */
    CompletionStage<Void> send(Notice notice);

    /** Why a delivery failed, in words safe to log (an HTTP status, an exception's class; never a URL). */
    final class DeliveryFailed extends RuntimeException {
        private final boolean permanent;

        DeliveryFailed(String reason, boolean permanent) {
            super(reason, null, false, false);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }

        /** Maps an answer: 2xx delivered; 408, 429 and 5xx worth another try; any other refusal final. */
        static Void check(Response response) {
            int status = response.getStatus();
            response.close();
            if (status / 100 == 2) {
                return null;
            }
            throw new DeliveryFailed("HTTP " + status, status != 408 && status != 429 && status < 500);
        }

        /** The failure as this class, whatever wrapped it on the way (a transport error is worth another try). */
        static DeliveryFailed of(Throwable failure) {
            Throwable cause = failure;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause instanceof DeliveryFailed delivery ? delivery
                    : new DeliveryFailed("no answer (" + cause.getClass().getSimpleName() + ")", false);
        }
    }
}
