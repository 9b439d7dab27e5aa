package io.dominoes.net.tcp;

import org.agrona.MutableDirectBuffer;

/**
 * Where a socket writes the segments it sends. The socket claims room for one whole TCP segment (header,
 * options, payload), writes it, checksum included (over the IPv4 pseudo-header of {@code srcAddr} and
 * {@code dstAddr}), then commits. An IPv4 layer implements this by claiming room after its own header.
 * <p>
 * Contract: at most one claim is open at a time; every successful {@link #claim} is followed by exactly one
 * {@link #commit()} before the next claim. Called only from the thread that drives the socket.
 */
public interface TcpEmitter
{
    /**
     * Returned by {@link #claim} when there is no room now; the socket keeps the segment for a later dispatch.
     */
    int NO_SPACE = -1;

    /**
     * Claim room for a TCP segment.
     *
     * @param srcAddr   IPv4 source address.
     * @param dstAddr   IPv4 destination address.
     * @param tcpLength bytes of TCP header, options and payload.
     * @return offset in {@link #buffer()} of the first TCP header byte, or {@link #NO_SPACE}.
     */
    int claim(int srcAddr, int dstAddr, int tcpLength);

    /**
     * @return the buffer the last successful claim refers to.
     */
    MutableDirectBuffer buffer();

    /**
     * Send the segment written into the claimed region.
     */
    void commit();

    /**
     * Whether the segment of the current claim will be sent. A replica of a replicated connection that does not
     * own the event being handled builds the same segments as its owner (its TCB must change exactly as the
     * owner's does) but drops them at {@link #commit()}; it returns false here after a successful claim, and the
     * socket then skips writing header, options, payload and checksum. Everything the socket's state depends on
     * (sizes, options chosen, claim result) is computed either way, so the replicas' TCBs stay identical.
     *
     * @return true (the default) if the bytes written into the claimed region are used.
     */
    default boolean wantsBytes()
    {
        return true;
    }
}
