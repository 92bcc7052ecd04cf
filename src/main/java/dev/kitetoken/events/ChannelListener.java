package dev.kitetoken.events;

/**
 * What the events transport ({@link EventSubscriber}) tells the replica, and all it knows of it: the
 * subscription came up, went away, or a message arrived. The transport knows nothing of tokens.
 */
public interface ChannelListener {

    /** Subscribed (again): whatever was published while away was not heard, so state must be reconciled. */
    void subscribed();

    /** The subscription ended or went silent: nothing published from now on will be heard until {@link #subscribed()}. */
    void lost();

    /** A message published on the events channel. */
    void heard(String message);
}
