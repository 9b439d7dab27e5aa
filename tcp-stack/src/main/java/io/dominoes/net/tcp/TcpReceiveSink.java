package io.dominoes.net.tcp;

import org.agrona.DirectBuffer;

/**
 * Receives the payload ranges a {@link TcpSocket} in data-sink mode accepts, instead of the socket copying them
 * into its own receive buffer. The socket then only keeps the bookkeeping (RCV.NXT, the window, the reassembly
 * ranges); the bytes belong to whoever implements this, e.g. one buffer shared by the replicas of a connection
 * where each replica copies only the segments it owns (DESIGN.md 4, "Partitioned results that replicated code
 * needs").
 * <p>
 * Contract: called from inside {@link TcpSocket#process} on the socket's thread, once for each range the socket
 * would have written into its receive buffer, in the same order. A range may repeat bytes reported earlier (a
 * retransmission overlapping held out-of-order data); the bytes at one stream position are always the same
 * data. The socket never reports a range at or beyond {@code consumed + receiveBufferCapacity}, where
 * {@code consumed} counts the bytes given back by {@link TcpSocket#consume}, so a ring of that capacity indexed
 * by stream position never overwrites bytes the application has not consumed.
 */
@FunctionalInterface
public interface TcpReceiveSink
{
    /**
     * @param streamPosition bytes of the receive stream before the range's first byte (0 is the first data byte
     *                       after the peer's SYN), counted since the socket's receive buffer was last cleared.
     * @param buffer         holding the segment's payload; valid only during the call.
     * @param offset         of the range's first byte in {@code buffer}.
     * @param length         of the range, {@code > 0}.
     */
    void onData(long streamPosition, DirectBuffer buffer, int offset, int length);
}
