package dev.kitetoken.client;

import java.util.Optional;

/**
 * Told of every real change of the token: a different token_id, or no token any more (a logout, the 06:00
 * cutoff, or the last token's expiry while the service could not be reached). Never told the same token twice.
 * Called on the follower's thread, one change at a time and in order: return quickly, hand long work elsewhere.
 */
@FunctionalInterface
public interface TokenListener {

    void tokenChanged(Optional<KiteToken> current);
}
