package io.dominoes.net.misd.live;

import io.dominoes.core.Domain;
import io.dominoes.core.EventContext;
import io.dominoes.net.misd.SegmentVerdict;
import io.dominoes.net.misd.SharedReceiveBuffer;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpEmitter;
import io.dominoes.net.tcp.TcpReceiveSink;
import io.dominoes.net.tcp.TcpSegmentRepr;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

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
final class LiveReplica implements Domain, TcpReceiveSink, TcpEmitter
{
    private static final long NEVER = Long.MAX_VALUE;
    private static final int IP_HEADER = Ipv4Packet.MIN_HEADER_LENGTH;

    private final int index;
    private final TcpSocket socket;
    private final SharedReceiveBuffer shared;
    private final ReplicaStatus status;
    private final int sendCapacity;
    private final TcpSegment segment = new TcpSegment();
    private final TcpSegmentRepr repr = new TcpSegmentRepr();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[IP_HEADER + 65_536]);
    private EventContext ctx;
    private int outLength;

    private long emitted;
    private long timerId = -1;
    private long timerDeadlineNs = NEVER;
    private long written;
    private long rejected;
    private long malformed;
    private long badReads;
    private long shortWrites;

    LiveReplica(
        final int index,
        final TcpConfig config,
        final int localAddr,
        final int localPort,
        final SharedReceiveBuffer shared,
        final ReplicaStatus status)
    {
        this.index = index;
        this.shared = shared;
        this.status = status;
        this.sendCapacity = config.sendBufferCapacity();
        this.socket = new TcpSocket(config, this);
        socket.listen(localAddr, localPort);
    }

    // ------------------------------------------------------------------------------------------- handlers

    void onSegment(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        if (SegmentVerdict.OK != ctx.verdict())
        {
            rejected++; // bad checksum found by the owner: dropped on every replica
            afterEvent(ctx);
            return;
        }
        final int headerLength = SegmentVerdict.checkIp(buffer, offset, length);
        if (headerLength < 0)
        {
            malformed++;
            afterEvent(ctx);
            return;
        }
        final int total = SegmentVerdict.totalLength(buffer, offset);
        segment.wrap(buffer, offset + headerLength, total - headerLength);
        if (TcpSegment.OK != repr.parse(segment,
            SegmentVerdict.sourceAddress(buffer, offset), SegmentVerdict.destinationAddress(buffer, offset)))
        {
            malformed++;
            afterEvent(ctx);
            return;
        }
        final long nowNs = ctx.timeNs();
        socket.process(repr, nowNs);
        socket.dispatch(this, nowNs);
        afterEvent(ctx);
    }

    void onAppRead(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        final long n = length == LiveEvents.APP_READ_LENGTH ? buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) : -1;
        if (n < 0 || n > socket.readableBytes())
        {
            badReads++;
            afterEvent(ctx);
            return;
        }
        socket.consume((int)n);
        socket.dispatch(this, ctx.timeNs());
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

    void onTimer(final EventContext ctx, final long id)
    {
        this.ctx = ctx;
        if (id != timerId)
        {
            return;
        }
        timerId = -1;
        timerDeadlineNs = NEVER;
        final long nowNs = ctx.timeNs();
        if (nowNs >= socket.pollAt())
        {
            socket.dispatch(this, nowNs);
        }
        final long at = socket.pollAt();
        if (at != NEVER)
        {
            // never at or before now: one dispatch per tick, as the single-threaded loop does
            timerDeadlineNs = Math.max(at, nowNs + 1);
            timerId = ctx.scheduleTimer(timerDeadlineNs, 0);
        }
        publishProgress();
    }

    private void afterEvent(final EventContext ctx)
    {
        final long at = socket.pollAt();
        if (at < timerDeadlineNs)
        {
            if (timerId >= 0)
            {
                ctx.cancelTimer(timerId);
            }
            timerDeadlineNs = at;
            timerId = ctx.scheduleTimer(at, 0);
        }
        publishProgress();
    }

    private void publishProgress()
    {
        // the mark first, then the status (ReplicaStatus#publish: both releases, in this order)
        shared.publish(index, socket.receivedStreamPosition(), emitted);
        status.publish(index, socket.state(), socket.remoteClosed(), socket.error(),
            written - (sendCapacity - socket.writableBytes()));
    }

    // ------------------------------------------------------------------------------------------- sink

    /**
     * {@inheritDoc}
     */
    public void onData(final long streamPosition, final DirectBuffer buffer, final int offset, final int length)
    {
        // after the replicated accept decision, by the owner only: disjoint (or identical) regions
        if (ctx.isOwner())
        {
            shared.write(streamPosition, buffer, offset, length);
        }
    }

    // ------------------------------------------------------------------------------------------- emitter

    /**
     * {@inheritDoc}
     */
    public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
    {
        if (IP_HEADER + tcpLength > out.capacity())
        {
            return NO_SPACE;
        }
        if (ctx.isOwner())
        {
            Ipv4Packet.emit(out, 0, tcpLength, 0, Ipv4Packet.FLAG_DONT_FRAGMENT, 64, Ipv4Packet.PROTOCOL_TCP,
                srcAddr, dstAddr);
        }
        outLength = IP_HEADER + tcpLength;
        return IP_HEADER;
    }

    /**
     * {@inheritDoc}
     */
    public MutableDirectBuffer buffer()
    {
        return out;
    }

    /**
     * {@inheritDoc}
     */
    public void commit()
    {
        // emit once: only the owner's copy enters the output; the key is the replicated emission index
        ctx.emit(LiveEvents.OUTPUT_FRAME, emitted++, out, 0, outLength);
    }

    // ------------------------------------------------------------------------------------------- state

    /**
     * {@inheritDoc}
     */
    public long stateDigest()
    {
        long h = socket.digest();
        h = h * 31 + emitted;
        h = h * 31 + timerDeadlineNs;
        h = h * 31 + written;
        h = h * 31 + rejected;
        h = h * 31 + malformed;
        h = h * 31 + shortWrites;
        return h * 31 + badReads;
    }

    TcpSocket socket()
    {
        return socket;
    }

    long rejected()
    {
        return rejected;
    }

    long malformed()
    {
        return malformed;
    }

    long shortWrites()
    {
        return shortWrites;
    }
}
