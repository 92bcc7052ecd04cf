package dev.kitetoken.peers;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.metrics.KiteMetrics;
import dev.kitetoken.token.CurrentToken;
import dev.kitetoken.token.ReplicaState;
import io.quarkus.scheduler.Scheduled;

/**
 * The other replicas of this deployment (KITE_PEERS), for a login this replica cannot write to Redis: handed to a
 * peer that can (it stores it, store-if-newer, and publishes {@code issued}), or, when none can, offered to every
 * reachable peer to keep for write-back, so that one replica's death cannot lose it. Calls go to the peers'
 * management port with KITE_PEER_SECRET and short timeouts.
 */
@ApplicationScoped
public class Peers {

    /** What became of a login handed to the peers. */
    public enum HandOff {
        /** A peer stored it in Redis (or Redis held it already). */
        STORED,
        /** Redis holds a login issued later: this one lost. */
        SUPERSEDED,
        /** No peer could store it: none reachable, or none reaches Redis. */
        NONE
    }

    private static final Logger LOG = Logger.getLogger(Peers.class);

    private final List<URI> configured;
    private final String authorization;
    private final Duration timeout;
    private final ObjectMapper json;
    private final KiteMetrics metrics;
    private final ReplicaId self;
    private final ReplicaState replica;
    private final HttpClient http;
    /** Addresses that turned out to be this replica (a headless Service resolves to every pod, this one too). */
    private final Set<URI> selves = ConcurrentHashMap.newKeySet();
    /** The peers that keep the login this replica keeps, by token_id: offered again until every peer has it. */
    private final ConcurrentHashMap<String, Set<URI>> keptBy = new ConcurrentHashMap<>();

    Peers(KiteConfig config, ObjectMapper json, KiteMetrics metrics, ReplicaId self, ReplicaState replica) {
        this.configured = config.peers().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(peer -> URI.create(peer.replaceAll("/+$", ""))).toList();
        this.authorization = "Bearer " + config.peerSecret().map(String::strip).orElse("");
        this.timeout = config.peerTimeout();
        this.json = json;
        this.metrics = metrics;
        this.self = self;
        this.replica = replica;
        // Only with peers: a JDK HttpClient loads the default SSLContext and its trust store (the JVM's heap after a
        // full GC grew 2.1 MB with it), which a replica without peers need not carry.
        this.http = configured.isEmpty() ? null
                : HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public boolean configured() {
        return !configured.isEmpty();
    }

    /**
     * Asks every peer at once to store the login; the first that stores it ends the wait. Bounded by one peer
     * timeout (plus the connect): a slow or broken peer cannot hold the callback longer.
     */
    public HandOff handOff(CurrentToken token) {
        List<URI> peers = resolve();
        if (peers.isEmpty()) {
            metrics.peerHandOff("none_could");
            return HandOff.NONE;
        }
        byte[] body = body(PeerLogin.of(PeerLogin.STORE, token));
        CompletableFuture<HandOff> decided = new CompletableFuture<>();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (URI peer : peers) {
            calls.add(post(peer, body).whenComplete((status, failure) -> {
                if (status != null && status == 200) {
                    decided.complete(HandOff.STORED);
                } else if (status != null && status == 409) {
                    decided.complete(HandOff.SUPERSEDED);
                }
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> decided.complete(HandOff.NONE));
        HandOff outcome;
        try {
            outcome = decided.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            outcome = HandOff.NONE;
        }
        metrics.peerHandOff(switch (outcome) {
            case STORED -> "stored";
            case SUPERSEDED -> "superseded";
            case NONE -> "none_could";
        });
        LOG.infof("Login %s handed to %d peer(s): %s", token.session().tokenId(), peers.size(), outcome);
        return outcome;
    }

    /** Offers a kept login to every peer that does not keep it yet, at once, within one timeout; how many keep it. */
    public int offer(CurrentToken token) {
        String tokenId = token.session().tokenId();
        Set<URI> keeping = keptBy.computeIfAbsent(tokenId, id -> ConcurrentHashMap.newKeySet());
        List<URI> peers = resolve().stream().filter(peer -> !keeping.contains(peer)).toList();
        if (!peers.isEmpty()) {
            byte[] body = body(PeerLogin.of(PeerLogin.KEEP, token));
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (URI peer : peers) {
                calls.add(post(peer, body).handle((status, failure) -> {
                    boolean kept = status != null && (status == 202 || status == 200);
                    metrics.peerOffer(kept ? "kept" : "failed");
                    if (kept) {
                        keeping.add(peer);
                    }
                    return null;
                }));
            }
            try {
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the peers that answered in time are counted; the others are offered it again
            }
        }
        return keeping.size();
    }

    /** While this replica keeps a login, peers that were unreachable when it was kept are offered it again. */
    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void offerAgain() {
        if (!configured()) {
            return;
        }
        Optional<CurrentToken> kept = replica.kept();
        keptBy.keySet().removeIf(id -> kept.map(token -> !token.session().tokenId().equals(id)).orElse(true));
        kept.ifPresent(this::offer);
    }

    /** Every configured peer, a headless Service's name expanded to each of its addresses, this replica left out. */
    List<URI> resolve() {
        List<URI> peers = new ArrayList<>();
        for (URI entry : configured) {
            try {
                for (InetAddress address : InetAddress.getAllByName(entry.getHost())) {
                    URI peer = URI.create(entry.getScheme() + "://" + hostText(address) + ":" + port(entry) + entry.getRawPath());
                    if (!selves.contains(peer) && !peers.contains(peer)) {
                        peers.add(peer);
                    }
                }
            } catch (UnknownHostException e) {
                LOG.debugf("Peer %s does not resolve now", entry.getHost());
            }
        }
        Collections.shuffle(peers);
        return peers;
    }

    private CompletableFuture<Integer> post(URI peer, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(peer + PeerRoutes.PATH))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header(ReplicaId.HEADER, self.value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(response -> {
            if (response.statusCode() == PeerRoutes.SELF) {
                selves.add(peer);
            } else if (response.statusCode() == 401 || response.statusCode() == 403) {
                LOG.warnf("Peer %s refused this replica's KITE_PEER_SECRET (%d): the replicas must share one", peer, response.statusCode());
            }
            return response.statusCode();
        }).exceptionally(failure -> {
            LOG.debugf("Peer %s did not answer: %s", peer, failure.getClass().getSimpleName());
            return null;
        });
    }

    private byte[] body(PeerLogin login) {
        try {
            return json.writeValueAsBytes(login);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a login could not be written for a peer: " + e.getClass().getSimpleName());
        }
    }

    private static String hostText(InetAddress address) {
        String text = address.getHostAddress();
        return text.contains(":") ? "[" + text + "]" : text;
    }

    private static int port(URI entry) {
        return entry.getPort() != -1 ? entry.getPort() : "https".equals(entry.getScheme()) ? 443 : 80;
    }
}
