package dev.kitetoken.redis;

/** Redis did not answer, or refused a command. Answered as 503: a replica without Redis cannot do its job. */
public class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String operation, Throwable cause) {
        super("Redis is unavailable (" + operation + "): " + cause.getClass().getSimpleName(), null, false, false);
    }
}
