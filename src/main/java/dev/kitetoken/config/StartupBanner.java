package dev.kitetoken.config;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
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

    /** Where Redis is, without a password the URL may carry. */
    private static String redis() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
                .map(hosts -> hosts.replaceAll("//[^@/]*@", "//***@"))
                .orElse("Dev Services");
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("Kite redirect URL to register for api_key %s: %s", config.requiredApiKey(), config.callbackUrl());
        LOG.infof("Log in at %s", config.loginPageUrl());
        if (config.allowsAnyUser()) {
            LOG.warn("KITE_ALLOWED_USER_IDS is *: any Zerodha user who completes a login replaces the token that trading pods"
                    + " receive. List your Kite user_ids instead.");
        }
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            // Dev only: the dev secrets are fixed, public values, so printing them gives nothing away.
            String reader = config.readerTokens().orElse(List.of("")).get(0);
            String admin = config.adminTokens().orElse(List.of("")).get(0);
            LOG.infof("Dev mode: Kite is simulated at %s (no Kite account is used); Redis: %s", config.apiUrl(), redis());
            LOG.infof("Dev mode: read the token with: curl -H 'Authorization: Bearer %s' %s/token", reader, config.publicUrl());
            LOG.infof("Dev mode: log out with: curl -X DELETE -H 'Authorization: Bearer %s' %s/token", admin, config.publicUrl());
        }
    }
}
