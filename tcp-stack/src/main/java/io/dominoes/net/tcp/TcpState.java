package io.dominoes.net.tcp;

/**
 * Connection states of RFC 9293 3.3.2.
 */
public enum TcpState
{
    CLOSED,
    LISTEN,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT;

    private static final TcpState[] VALUES = values();

    /**
     * @param ordinal of a state.
     * @return the state, for reconstructing from a digest or a snapshot.
     */
    public static TcpState get(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return true once the SYNs have been exchanged (RFC 9293 "synchronized states").
     */
    public boolean isSynchronized()
    {
        return ordinal() >= ESTABLISHED.ordinal();
    }

    /**
     * @return true in states where received data is delivered to the application (RFC 9293 3.10.7.4,
     * "seventh, process the segment text").
     */
    public boolean acceptsData()
    {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /**
     * @return true in states where the application may still queue data to send.
     */
    public boolean canSend()
    {
        return this == ESTABLISHED || this == CLOSE_WAIT || this == SYN_SENT || this == SYN_RECEIVED;
    }
}
