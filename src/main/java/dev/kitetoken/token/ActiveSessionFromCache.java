package dev.kitetoken.token;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.web.ActiveSession;
import dev.kitetoken.web.ExpiryText;

/** The active session for pages, from the replica's copy: an error page never waits on Redis. */
@ApplicationScoped
class ActiveSessionFromCache implements ActiveSession {

    private final TokenCache cache;
    private final Clock clock;
    private final KiteConfig config;

    ActiveSessionFromCache(TokenCache cache, Clock clock, KiteConfig config) {
        this.cache = cache;
        this.clock = clock;
        this.config = config;
    }

    @Override
    public Optional<String> until() {
        return cache.withoutReading().map(c -> ExpiryText.when(c.token().session().expiresAt(), clock.instant(), config.expiryZone()));
    }
}
