package dev.kitetoken.peers;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/** This process among the peers: a call that reaches it from itself (KITE_PEERS names every pod) is skipped. */
@ApplicationScoped
public class ReplicaId {

    static final String HEADER = "Kite-Peer-From";

    private final String id = UUID.randomUUID().toString();

    String value() {
        return id;
    }
}
