package dev.kitetoken.peers;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kitetoken.token.CurrentToken;
import dev.kitetoken.token.StoredSession;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A login one replica passes to another: {@code store} it in Redis (the sender cannot), or {@code keep} it for
 * write-back (nobody can, for now). Carries the access token: it travels only between replicas, on the
 * management port, behind KITE_PEER_SECRET, and is never logged.
 */
@RegisterForReflection
public record PeerLogin(@JsonProperty("mode") String mode, @JsonProperty("access_token") String accessToken,
        @JsonProperty("session") StoredSession session) {

    static final String STORE = "store";
    static final String KEEP = "keep";

    static PeerLogin of(String mode, CurrentToken token) {
        return new PeerLogin(mode, token.accessToken(), token.session());
    }

    CurrentToken token() {
        return new CurrentToken(accessToken, session);
    }

    @Override
    public String toString() {
        return "PeerLogin[mode=" + mode + ", tokenId=" + (session == null ? null : session.tokenId()) + "]";
    }
}
