package dev.kitetoken.config;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/** Tells the operator what to register at Kite and where to start, once the configuration is known good. */
@ApplicationScoped
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    private final KiteConfig config;

    StartupBanner(KiteConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("Kite redirect URL to register for api_key %s: %s", config.requiredApiKey(), config.callbackUrl());
        LOG.infof("Log in at %s", config.loginPageUrl());
        if (config.allowsAnyUser()) {
            LOG.warn("KITE_ALLOWED_USER_IDS is *: any Zerodha user who completes a login replaces the token that trading pods"
                    + " receive. List your Kite user_ids instead.");
        }
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            // Dev only: the dev reader token is a fixed, public value, so printing it gives nothing away.
            String reader = config.readerTokens().orElse(List.of("")).get(0);
            LOG.infof("Dev mode: Kite is simulated at %s; read the token with: curl -H 'Authorization: Bearer %s' %s/token",
                    config.apiUrl(), reader, config.publicUrl());
        }
    }
}
