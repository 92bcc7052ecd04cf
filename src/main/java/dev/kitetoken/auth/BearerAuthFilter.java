package dev.kitetoken.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.web.ProblemException;

/**
 * Lets a request through to an authenticated endpoint only with a bearer secret of the right kind.
 * Reader secrets (trading pods) and admin secrets (operators) are separate lists.
 */
public class BearerAuthFilter {

    private static final Logger LOG = Logger.getLogger(BearerAuthFilter.class);
    private static final String CHALLENGE = "Bearer realm=\"kite-token-service\"";

    private final BearerSecrets readers;
    private final BearerSecrets admins;
    private final BearerSecrets readersAndAdmins;
    private final KiteMetrics metrics;

    BearerAuthFilter(KiteConfig config, KiteMetrics metrics) {
        this.metrics = metrics;
        List<String> readerTokens = config.readerTokens().orElse(List.of());
        List<String> adminTokens = config.adminTokens().orElse(List.of());
        List<String> both = new ArrayList<>(readerTokens);
        both.addAll(adminTokens);
        this.readers = new BearerSecrets(readerTokens);
        this.admins = new BearerSecrets(adminTokens);
        this.readersAndAdmins = new BearerSecrets(both);
    }

    @ReaderAuthenticated
    @ServerRequestFilter
    public void reader(ContainerRequestContext request) {
        authenticate(request, readers, "reader", "KITE_READER_TOKENS");
    }

    @AdminAuthenticated
    @ServerRequestFilter
    public void admin(ContainerRequestContext request) {
        authenticate(request, admins, "admin", "KITE_ADMIN_TOKENS");
    }

    @ReaderOrAdminAuthenticated
    @ServerRequestFilter
    public void readerOrAdmin(ContainerRequestContext request) {
        authenticate(request, readersAndAdmins, "reader_or_admin", "KITE_READER_TOKENS or KITE_ADMIN_TOKENS");
    }

    private void authenticate(ContainerRequestContext request, BearerSecrets allowed, String required, String setting) {
        if (allowed.isEmpty()) {
            metrics.authFailure(required, "not_configured");
            throw new ProblemException(403, "Not configured",
                    setting + " is empty, so no secret can do this here: " + ("admin".equals(required)
                            ? "logging out (DELETE /token) is not configured. Set KITE_ADMIN_TOKENS to enable it."
                            : "set " + setting + "."));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            metrics.authFailure(required, "missing");
            throw unauthorized(CHALLENGE, "Send Authorization: Bearer <one of " + setting + ">.");
        }
        String presented = BearerSecrets.presented(header);
        boolean bearer = presented != null;
        if (!bearer || !allowed.matches(presented)) {
            // The presented value is a credential, right or wrong: never log it.
            metrics.authFailure(required, bearer ? "unknown_secret" : "not_bearer");
            LOG.warnf("Refused %s %s: %s", request.getMethod(), request.getUriInfo().getPath(),
                    bearer ? "unknown bearer secret" : "not a Bearer Authorization header");
            throw unauthorized(CHALLENGE + ", error=\"invalid_token\"", bearer
                    ? "The bearer secret is not one of " + setting + "."
                    : "A bearer secret is expected: send Authorization: Bearer <one of " + setting + ">, not another scheme.");
        }
    }

    private static ProblemException unauthorized(String challenge, String detail) {
        return new ProblemException(401, "Unauthorized", detail, false, Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }
}
