package io.dominoes.net.misd;

import io.dominoes.core.Domain;
import io.dominoes.core.EventContext;
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
 * One replica's private copy of the connection: a {@link TcpSocket} in data-sink mode (sequence space, window,
 * reassembly ranges, timers, congestion state: all replicated), plus the replica's hooks into the shared parts.
 * <ul>
 *   <li>As {@link TcpReceiveSink}: a range the socket accepts is copied into the {@link SharedReceiveBuffer}
 *       only if this replica owns the segment (it also verified it, so the payload is warm in its cache).</li>
 *   <li>As {@link TcpEmitter}: every replica builds every segment the socket sends (the socket's state depends
 *       on it), but {@link EventContext#emit} sends it only on the event's owner: one ACK per ACK decision.</li>
 *   <li>Timers: one replicated timer at most, kept at or before {@link TcpSocket#pollAt()} (lazily: a later
 *       deadline does not cancel it, the early firing just re-arms), so the socket's {@code dispatch} runs at
 *       the first tick at or after its deadline, as a single-threaded loop would run it.</li>
 * </ul>
 * Only the replica's thread touches it while the group runs.
 */
final class ReceiverReplica implements Domain, TcpReceiveSink, TcpEmitter
{
    private static final long NEVER = Long.MAX_VALUE;
    private static final int IP_HEADER = Ipv4Packet.MIN_HEADER_LENGTH;

    private final int index;
    private final TcpSocket socket;
    private final SharedReceiveBuffer shared;
    private final boolean copyPayload;
    private final TcpSegment segment = new TcpSegment();
    private final TcpSegmentRepr repr = new TcpSegmentRepr();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[IP_HEADER + 65_536]);
    private EventContext ctx;
    private int outLength;

    private long emitted;
    private long timerId = -1;
    private long timerDeadlineNs = NEVER;
    private long rejected;
    private long malformed;
    private long badReads;

    ReceiverReplica(
        final int index,
        final TcpConfig config,
        final int localAddr,
        final int localPort,
        final SharedReceiveBuffer shared,
        final boolean copyPayload)
    {
        this.index = index;
        this.shared = shared;
        this.copyPayload = copyPayload;
        this.socket = new TcpSocket(config, this);
        socket.listen(localAddr, localPort);
    }

    // ------------------------------------------------------------------------------------------- handlers

    void onSegment(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        if (SegmentVerdict.OK != ctx.verdict())
        {
            // the owner found a bad checksum: dropped on every replica, never acknowledged, never delivered
            rejected++;
            return;
        }
        final int headerLength = SegmentVerdict.checkIp(buffer, offset, length);
        if (headerLength < 0)
        {
            malformed++; // only if a verdict said OK for bytes that are not a packet: cannot happen, still no throw
            return;
        }
        final int total = SegmentVerdict.totalLength(buffer, offset);
        segment.wrap(buffer, offset + headerLength, total - headerLength);
        if (TcpSegment.OK != repr.parse(segment,
            SegmentVerdict.sourceAddress(buffer, offset), SegmentVerdict.destinationAddress(buffer, offset)))
        {
            malformed++;
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
        final long n = length == ReceiveEvents.APP_READ_LENGTH ? buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) : -1;
        if (n < 0 || n > socket.readableBytes())
        {
            badReads++;
            return;
        }
        socket.consume((int)n);
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
        shared.publish(index, socket.receivedStreamPosition(), emitted);
    }

    // ------------------------------------------------------------------------------------------- sink

    /**
     * {@inheritDoc}
     */
    public void onData(final long streamPosition, final DirectBuffer buffer, final int offset, final int length)
    {
        // after the replicated accept decision, by the owner only: disjoint (or identical) regions
        if (copyPayload && ctx.isOwner())
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
        ctx.emit(ReceiveEvents.OUTPUT_FRAME, emitted++, out, 0, outLength);
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
        h = h * 31 + rejected;
        h = h * 31 + malformed;
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

    long badReads()
    {
        return badReads;
    }

    long emitted()
    {
        return emitted;
    }
}
