package dev.kitetoken.peers;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.auth.BearerSecrets;
import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.redis.RedisUnavailableException;
import dev.kitetoken.token.CurrentToken;
import dev.kitetoken.token.ReplicaState;
import dev.kitetoken.token.TokenIds;
import dev.kitetoken.token.TokenScripts;
import dev.kitetoken.token.TokenStore;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /peer/logins} on the management port (which the Ingress never routes): a peer's login to store in
 * Redis (store-if-newer, publishing {@code issued}, as a write-back does) or to keep for write-back. Answers
 * 200 stored, 202 kept, 409 superseded or ended, 503 when this replica cannot reach Redis either, 421 to itself.
 */
@ApplicationScoped
public class PeerRoutes {

    static final String PATH = "/peer/logins";
    static final int SELF = 421;
    private static final Logger LOG = Logger.getLogger(PeerRoutes.class);

    private final BearerSecrets secret;
    private final String apiKey;
    private final TokenStore store;
    private final ReplicaState replica;
    private final ReplicaId self;
    private final ObjectMapper json;
    private final KiteMetrics metrics;
    private final Clock clock;

    PeerRoutes(KiteConfig config, TokenStore store, ReplicaState replica, ReplicaId self, ObjectMapper json, KiteMetrics metrics,
            Clock clock) {
        this.secret = new BearerSecrets(config.peerSecret().map(List::of).orElse(List.of()));
        this.apiKey = config.apiKey().map(String::strip).orElse("");
        this.store = store;
        this.replica = replica;
        this.self = self;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
    }

    void register(@Observes ManagementInterface management) {
        management.router().post(PATH).handler(BodyHandler.create().setBodyLimit(16 * 1024)).blockingHandler(this::receive, false);
    }

    void receive(RoutingContext context) {
        if (secret.isEmpty()) {
            answer(context, 403, "not_configured", "KITE_PEER_SECRET is not set on this replica");
            return;
        }
        if (!secret.admits(context.request().getHeader("Authorization"))) {
            metrics.authFailure("peer", "unknown_secret");
            answer(context, 401, "unauthorized", "Send Authorization: Bearer <KITE_PEER_SECRET>");
            return;
        }
        if (self.value().equals(context.request().getHeader(ReplicaId.HEADER))) {
            answer(context, SELF, "self", "This is the calling replica");
            return;
        }
        PeerLogin login;
        try {
            login = json.readValue(context.body().buffer().getBytes(), PeerLogin.class);
        } catch (Exception e) {
            answer(context, 400, "bad_request", "Not a peer login");
            return;
        }
        String problem = problem(login);
        if (problem != null) {
            answer(context, 400, "bad_request", problem);
            return;
        }
        CurrentToken token = login.token();
        Instant now = clock.instant();
        if (!token.expiresAt().isAfter(now)) {
            metrics.peerRequest(login.mode(), "ended");
            answer(context, 409, "ended", "This token has expired");
            return;
        }
        if (PeerLogin.KEEP.equals(login.mode())) {
            boolean kept = replica.keptForPeer(token);
            metrics.peerRequest(login.mode(), kept ? "kept" : "newer_held");
            LOG.infof("A peer kept login %s until Redis answers: %s", token.session().tokenId(), kept ? "kept here too" : "a newer one is held here");
            answer(context, kept ? 202 : 200, kept ? "kept" : "newer_held", null);
            return;
        }
        try {
            TokenScripts.WriteBack result = store.writeBack(token, TokenEvent.REASON_LOGIN, now);
            metrics.peerRequest(login.mode(), result.name().toLowerCase(java.util.Locale.ROOT));
            switch (result) {
                case WRITTEN, NOT_NEEDED -> {
                    replica.storedHere(token);
                    LOG.infof("Stored login %s for a peer that cannot reach Redis (%s)", token.session().tokenId(), result);
                    answer(context, 200, "stored", null);
                }
                case SUPERSEDED -> answer(context, 409, "superseded", "A login issued later is current");
                case ENDED -> answer(context, 409, "ended", "This token has ended");
            }
        } catch (RedisUnavailableException e) {
            metrics.peerRequest(login.mode(), "redis_unavailable");
            answer(context, 503, "redis_unavailable", "This replica cannot reach Redis either");
        }
    }

    private String problem(PeerLogin login) {
        if (!PeerLogin.STORE.equals(login.mode()) && !PeerLogin.KEEP.equals(login.mode())) {
            return "mode must be store or keep";
        }
        if (login.accessToken() == null || login.accessToken().isBlank() || login.session() == null) {
            return "access_token and session are required";
        }
        if (!TokenIds.tokenId(login.accessToken()).equals(login.session().tokenId())) {
            return "token_id does not match the token";
        }
        if (!apiKey.equals(login.session().apiKey())) {
            return "another api_key's login";
        }
        return null;
    }

    private static void answer(RoutingContext context, int status, String result, String detail) {
        JsonObject body = new JsonObject(detail == null ? Map.of("result", result) : Map.of("result", result, "detail", detail));
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
