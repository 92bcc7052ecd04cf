package dev.kitetoken.client;

/**
 * The service refused this client's reader secret (401) or has none configured (403): a configuration error,
 * not an outage. The follower stops; retrying would only fill the service's log.
 */
public final class ServiceRefusedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ServiceRefusedException(String message) {
        super(message);
    }
}
