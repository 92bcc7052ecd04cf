package dev.kitetoken.kite;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.kitetoken.config.KiteConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Builds the Kite REST client from {@link KiteConfig}, so KITE_API_URL and KITE_HTTP_TIMEOUT are the only
 * knobs and no second set of rest-client properties can disagree with them.
 */
public class KiteApiProducer {

    @Produces
    @ApplicationScoped
    KiteApi kiteApi(KiteConfig config) {
        long timeoutMillis = config.httpTimeout().toMillis();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.apiUrl())
                .connectTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .readTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .userAgent("kite-token-service/1.0")
                .followRedirects(false)
                .disableDefaultMapper(true)
                .build(KiteApi.class);
    }
}
