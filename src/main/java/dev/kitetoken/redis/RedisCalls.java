package dev.kitetoken.redis;

import java.util.function.Supplier;

/** Turns whatever the Redis client throws into one exception type that the API answers as 503. */
public final class RedisCalls {

    private RedisCalls() {
    }

    public static <T> T call(String operation, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RedisUnavailableException(operation, e);
        }
    }

    public static void run(String operation, Runnable command) {
        call(operation, () -> {
            command.run();
            return null;
        });
    }
}
