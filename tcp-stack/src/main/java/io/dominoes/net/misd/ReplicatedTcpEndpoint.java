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
 * What every replica of a replicated TCP connection does the same way, whether the closed-loop receiver
 * ({@link ReceiverReplica}) or a live server connection ({@code misd.live.LiveReplica}): a {@link TcpSocket} in
 * data-sink mode as the private TCB copy, fed by verified SEGMENT events and APP_READ events.
 * <ul>
 *   <li>As {@link TcpReceiveSink}: a range the socket accepts is copied into the {@link SharedReceiveBuffer}
 *       only by the segment's owner (it also verified it, so the payload is warm in its cache); a range of at
 *       least the {@link PayloadCopySplit} threshold is copied chunk by chunk, each chunk by its owner.</li>
 *   <li>As {@link TcpEmitter}: every replica builds every segment the socket sends (the socket's state depends
 *       on it), but {@link EventContext#emit} sends it only on the event's owner: one output per decision,
 *       keyed by the replicated emission count.</li>
 *   <li>Timers: one replicated timer at most, kept at or before {@link TcpSocket#pollAt()} (lazily: a later
 *       deadline does not cancel it, the early firing just re-arms), so the socket's {@code dispatch} runs at
 *       the first tick at or after its deadline, as a single-threaded loop would run it.</li>
 * </ul>
 * Only the replica's thread touches it while the group runs.
 */
public abstract class ReplicatedTcpEndpoint implements Domain, TcpReceiveSink, TcpEmitter
{
    private static final long NEVER = Long.MAX_VALUE;
    private static final int IP_HEADER = Ipv4Packet.MIN_HEADER_LENGTH;

    protected final int index;
    protected final TcpSocket socket;
    protected final SharedReceiveBuffer shared;
    private final boolean copyPayload;
    private final TcpSegment segment = new TcpSegment();
    private final TcpSegmentRepr repr = new TcpSegmentRepr();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[IP_HEADER + 65_536]);
    protected EventContext ctx;
    private int outLength;

    protected long emitted;
    private long timerId = -1;
    private long timerDeadlineNs = NEVER;
    private long rejected;
    private long malformed;
    private long badReads;

    protected ReplicatedTcpEndpoint(
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

    /**
     * Apply a verified SEGMENT event to the TCB: a bad verdict or a malformed packet is counted and dropped, the
     * same way on every replica; otherwise the socket processes it and sends what it decides.
     *
     * @return true if the socket processed the segment.
     */
    protected final boolean applySegment(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        if (SegmentVerdict.OK != ctx.verdict())
        {
            // the owner found a bad checksum: dropped on every replica, never acknowledged, never delivered
            rejected++;
            return false;
        }
        final int headerLength = SegmentVerdict.checkIp(buffer, offset, length);
        if (headerLength < 0)
        {
            malformed++; // only if a verdict said OK for bytes that are not a packet: cannot happen, still no throw
            return false;
        }
        final int total = SegmentVerdict.totalLength(buffer, offset);
        segment.wrap(buffer, offset + headerLength, total - headerLength);
        if (TcpSegment.OK != repr.parse(segment,
            SegmentVerdict.sourceAddress(buffer, offset), SegmentVerdict.destinationAddress(buffer, offset)))
        {
            malformed++;
            return false;
        }
        final long nowNs = ctx.timeNs();
        socket.process(repr, nowNs);
        socket.dispatch(this, nowNs);
        return true;
    }

    /**
     * Apply an APP_READ event (the application consumed n bytes, a little-endian long): every replica frees the
     * same window at the same point of the order.
     *
     * @return true if the read was valid and applied; false (counted) if it named more than is readable.
     */
    protected final boolean applyAppRead(
        final EventContext ctx, final DirectBuffer buffer, final int offset, final int length, final int expectedLength)
    {
        this.ctx = ctx;
        final long n = length == expectedLength ? buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) : -1;
        if (n < 0 || n > socket.readableBytes())
        {
            badReads++;
            return false;
        }
        socket.consume((int)n);
        socket.dispatch(this, ctx.timeNs());
        return true;
    }

    /**
     * A replicated timer fired: dispatch the socket if its deadline has come and re-arm.
     *
     * @param ctx of the tick.
     * @param id  of the timer that fired.
     */
    public final void onTimer(final EventContext ctx, final long id)
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

    /**
     * After an event: bring the replicated timer forward if the socket now wants to run earlier, then publish
     * this replica's progress.
     *
     * @param ctx of the event.
     */
    protected final void afterEvent(final EventContext ctx)
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

    /**
     * Publish this replica's completion mark (release; see {@link SharedReceiveBuffer#publish}). Subclasses that
     * publish more must publish the mark first.
     */
    protected void publishProgress()
    {
        shared.publish(index, socket.receivedStreamPosition(), emitted);
    }

    // ------------------------------------------------------------------------------------------- sink

    /**
     * {@inheritDoc}
     */
    public void onData(final long streamPosition, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!copyPayload)
        {
            return;
        }
        final PayloadCopySplit split = shared.split();
        if (split.splits(length, shared.replicas()))
        {
            // a large range: every replica takes the same decision on the same replicated range and copies only
            // the chunks it owns (disjoint; argument in SharedReceiveBuffer)
            final int copied = split.copyOwnedChunks(shared, index, ctx.key(), streamPosition, buffer, offset, length);
            if (copied > 0)
            {
                shared.countCopy(index, copied, true);
            }
        }
        else if (ctx.isOwner())
        {
            // after the replicated accept decision, by the owner only: disjoint (or identical) regions
            shared.write(streamPosition, buffer, offset, length);
            shared.countCopy(index, length, false);
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
     * <p>
     * Only the event's owner sends (emit once), so only it needs the bytes.
     */
    public boolean wantsBytes()
    {
        return ctx.isOwner();
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
     * @return digest of the state every replica shares; subclasses mix in their own fields.
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

    /**
     * @return this replica's TCB copy (read only after the group stopped).
     */
    public final TcpSocket socket()
    {
        return socket;
    }

    /**
     * @return segments dropped for a bad verdict.
     */
    public final long rejected()
    {
        return rejected;
    }

    /**
     * @return segments dropped as malformed.
     */
    public final long malformed()
    {
        return malformed;
    }

    /**
     * @return APP_READ events that named more than was readable.
     */
    public final long badReads()
    {
        return badReads;
    }

    /**
     * @return segments emitted (by any replica) so far, a replicated count.
     */
    public final long emitted()
    {
        return emitted;
    }
}
