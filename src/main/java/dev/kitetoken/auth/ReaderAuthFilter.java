package dev.kitetoken.auth;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.web.ProblemException;

/** Lets a request through to a {@link ReaderAuthenticated} endpoint only with a reader bearer secret. */
public class ReaderAuthFilter {

    private static final Logger LOG = Logger.getLogger(ReaderAuthFilter.class);
    private static final String SCHEME = "Bearer ";

    private final BearerSecrets readers;

    ReaderAuthFilter(KiteConfig config) {
        this.readers = new BearerSecrets(config.readerTokens().orElse(List.of()));
    }

    @ReaderAuthenticated
    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw unauthorized("Bearer realm=\"kite-token-service\"",
                    "Send Authorization: Bearer <one of KITE_READER_TOKENS>.");
        }
        boolean bearer = header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        if (!bearer || !readers.matches(header.substring(SCHEME.length()).strip())) {
            // The presented value is a credential, right or wrong: never log it.
            LOG.warnf("Refused %s %s: %s", request.getMethod(), request.getUriInfo().getPath(),
                    bearer ? "unknown bearer secret" : "not a Bearer Authorization header");
            throw unauthorized("Bearer realm=\"kite-token-service\", error=\"invalid_token\"",
                    "The bearer secret is not one of KITE_READER_TOKENS.");
        }
    }

    private static ProblemException unauthorized(String challenge, String detail) {
        return new ProblemException(401, "Unauthorized", detail, false, Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }
}
