package io.dominoes.net.monitor;

import org.agrona.DirectBuffer;

/**
 * Receives what a {@link TcpMonitor} reassembles, on the monitor's thread, in delivery order. The buffers are
 * valid only during the call. Implementations must not throw (a dump writer that fails records its error and
 * stops writing).
 */
public interface StreamSink
{
    /**
     * A connection was created; its endpoints and roles are fixed from here on.
     */
    default void onOpen(final TcpConnection connection)
    {
    }

    /**
     * In-order bytes of one direction, exactly once each.
     *
     * @param direction {@link TcpConnection#CLIENT_TO_SERVER} or {@link TcpConnection#SERVER_TO_CLIENT}.
     */
    void onData(TcpConnection connection, int direction, DirectBuffer buffer, int offset, int length);

    /**
     * A hole of {@code length} bytes that was never captured but that the peer acknowledged, skipped in
     * delivery (see {@link HalfStream} for the policy).
     */
    default void onGap(final TcpConnection connection, final int direction, final int length)
    {
    }

    /**
     * The connection ended (FIN both ways, RST, eviction or end of input); no more calls follow for it and its
     * slot may be reused after this returns. Its statistics are final.
     */
    default void onClose(final TcpConnection connection)
    {
    }

    /**
     * A sink that discards everything.
     */
    StreamSink NONE = (connection, direction, buffer, offset, length) ->
    {
    };
}
