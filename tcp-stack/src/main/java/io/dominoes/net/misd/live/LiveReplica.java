package io.dominoes.net.misd.live;

import io.dominoes.core.EventContext;
import io.dominoes.net.misd.ReplicatedTcpEndpoint;
import io.dominoes.net.misd.SharedReceiveBuffer;
import io.dominoes.net.tcp.TcpConfig;
import org.agrona.DirectBuffer;

/**
 * One replica's private copy of a live connection's whole TCB, from the peer's SYN on: a {@link TcpSocket} in
 * data-sink mode that listens on the server port, so the handshake, the receive path, the replicated send
 * buffer and the close all run on every replica in channel order. It differs from the closed-loop
 * {@code misd.ReceiverReplica} in what a live server needs: application writes and close as events, and a
 * {@link ReplicaStatus} the application waits on (end of stream, reset, acknowledged bytes).
 * <ul>
 *   <li>SEGMENT (verified): the owner's look-ahead checked both checksums; a bad packet is dropped on every
 *       replica. Accepted payload is copied into the {@link SharedReceiveBuffer} by the segment's owner only.</li>
 *   <li>APP_READ / APP_WRITE / APP_CLOSE (replicated): every replica frees window, appends to its send buffer,
 *       or queues the FIN at the same point of the order.</li>
 *   <li>Every segment the socket sends is built on every replica (its state depends on it) and emitted once, by
 *       the event's owner (for timers, the timer's), keyed by the replicated emission count.</li>
 * </ul>
 * The send path is replicated, not partitioned: every replica keeps the send bytes and builds every data
 * segment; only the owner's copy leaves. Only the replica's thread touches it while the group runs.
 */
final class LiveReplica extends ReplicatedTcpEndpoint
{
    private final ReplicaStatus status;
    private final int sendCapacity;
    private long written;
    private long shortWrites;

    LiveReplica(
        final int index,
        final TcpConfig config,
        final int localAddr,
        final int localPort,
        final SharedReceiveBuffer shared,
        final ReplicaStatus status)
    {
        super(index, config, localAddr, localPort, shared, true);
        this.status = status;
        this.sendCapacity = config.sendBufferCapacity();
    }

    // ------------------------------------------------------------------------------------------- handlers

    void onSegment(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        // unlike the closed-loop receiver, a dropped segment still publishes status (the application waits on it)
        applySegment(ctx, buffer, offset, length);
        afterEvent(ctx);
    }

    void onAppRead(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        applyAppRead(ctx, buffer, offset, length, LiveEvents.APP_READ_LENGTH);
        afterEvent(ctx);
    }

    void onAppWrite(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        final int n = socket.write(buffer, offset, length);
        if (n != length)
        {
            // the writer published only what every replica's buffer had room for (ReplicatedConnection#write),
            // so this means the connection can no longer send (reset, closed): counted, same on every replica
            shortWrites++;
        }
        if (n > 0)
        {
            written += n;
        }
        socket.dispatch(this, ctx.timeNs());
        afterEvent(ctx);
    }

    void onAppClose(final EventContext ctx)
    {
        this.ctx = ctx;
        socket.close();
        socket.dispatch(this, ctx.timeNs());
        afterEvent(ctx);
    }

    /**
     * {@inheritDoc}
     */
    protected void publishProgress()
    {
        // the mark first, then the status (ReplicaStatus#publish: both releases, in this order)
        super.publishProgress();
        status.publish(index, socket.state(), socket.remoteClosed(), socket.error(),
            written - (sendCapacity - socket.writableBytes()));
    }

    /**
     * {@inheritDoc}
     */
    public long stateDigest()
    {
        return (super.stateDigest() * 31 + written) * 31 + shortWrites;
    }

    long shortWrites()
    {
        return shortWrites;
    }
}
