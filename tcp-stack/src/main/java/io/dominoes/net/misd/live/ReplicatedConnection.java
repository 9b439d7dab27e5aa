package io.dominoes.net.misd.live;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Subscriber;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.EventPublisher;
import io.dominoes.core.HandlerRegistry;
import io.dominoes.core.ReplicaGroup;
import io.dominoes.core.ReplicaGroupException;
import io.dominoes.core.ShutdownMode;
import io.dominoes.core.VerdictHandler;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.net.iface.Interface;
import io.dominoes.net.misd.PayloadCopySplit;
import io.dominoes.net.misd.SegmentVerdict;
import io.dominoes.net.misd.SharedReceiveBuffer;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpState;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.Ipv4Packet;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One live TCP connection whose whole TCB runs replicated (MISD) on a {@link ReplicaGroup} of
 * {@link LiveReplica}s, from the peer's SYN on. Two threads use it:
 * <ul>
 *   <li>the <b>event loop</b> ({@link ReplicatedTcpListener}, holding the stack's loop lock): publishes each
 *       received IPv4 packet of the connection once ({@link #onPacket}), publishes tick events for time, drains
 *       the frames the replicas emit (each decided by all, sent by one) in replicated order onto the
 *       {@link Interface} ({@link #pollOutput});</li>
 *   <li>the <b>application</b> thread: {@link #read} copies from the {@link SharedReceiveBuffer} below the
 *       replicas' minimum completion mark and publishes an APP_READ event, so the advertised window reflects what
 *       the application consumed; {@link #write} publishes the bytes as APP_WRITE events, never more than every
 *       replica's send buffer has room for; {@link #close} publishes APP_CLOSE.</li>
 * </ul>
 * Each thread has its own {@link EventPublisher}; the group serialises them (single-publisher channel, lock).
 */
public final class ReplicatedConnection
{
    private static final long TICK_INTERVAL_NS = 100_000L;
    private static final int MAX_WRITE_EVENT = 16 * 1024;
    private static final int REORDER_SLOTS = 1024;
    private static final int REORDER_SLOT_BYTES = 2048;

    private final long key;
    private final int remoteAddress;
    private final int remotePort;
    private final int replicas;
    private final ReplicaGroup<LiveReplica> group;
    private final BroadcastChannel output;
    private final Subscriber outputSubscriber;
    private final SharedReceiveBuffer shared;
    private final ReplicaStatus status;
    private final int sendCapacity;
    private final EventPublisher loopPublisher;
    private final EventPublisher appPublisher;
    private final EmissionReorder reorder = new EmissionReorder(REORDER_SLOTS, REORDER_SLOT_BYTES);
    private final MessageHandler outputHandler = this::onOutput;
    private final EmissionReorder.FrameSink toInterface = this::send;

    // event-loop thread only
    private Interface iface;
    private long nowNs;
    private long lastTickNs = Long.MIN_VALUE;
    private long frames;
    private long framesSent;
    private long sendFailures;
    private long releasedAtNs;

    // application thread only
    private final UnsafeBuffer appBody = new UnsafeBuffer(new byte[MAX_WRITE_EVENT]);
    private final UnsafeBuffer appView = new UnsafeBuffer(new byte[0]);
    private long readPosition;
    private long reads;
    private long appWritten;
    private long writes;
    private boolean closeRequested;

    // application -> event loop: the application is done with the connection (volatile: written once, polled)
    private volatile boolean released;

    ReplicatedConnection(
        final long key,
        final int localAddress,
        final int localPort,
        final int remoteAddress,
        final int remotePort,
        final TcpConfig config,
        final int replicas,
        final Supplier<IdleStrategy> idle,
        final int digestEvery,
        final PayloadCopySplit copySplit,
        final String name)
    {
        this.key = key;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.replicas = replicas;
        this.shared = new SharedReceiveBuffer(config.receiveBufferCapacity(), replicas, copySplit);
        this.status = new ReplicaStatus(replicas);
        this.sendCapacity = config.sendBufferCapacity();
        this.output = BroadcastRing.builder().capacity(1 << 23).subscribers(1).multiPublisher(true).build();
        this.outputSubscriber = output.subscriber(0);
        // the partitioned half: both checksums, on the owner's look-ahead cursor, no domain
        final VerdictHandler verdict = (type, k, buffer, offset, length) -> SegmentVerdict.verify(buffer, offset, length);
        final HandlerRegistry<LiveReplica> handlers = new HandlerRegistry<LiveReplica>()
            .verified(LiveEvents.SEGMENT, verdict, (r, ctx, buffer, offset, length) -> r.onSegment(ctx, buffer, offset, length))
            .verified(LiveEvents.SEGMENT_PARTIAL_CHECKSUM,
                (type, k, buffer, offset, length) -> SegmentVerdict.verifyPartialChecksum(buffer, offset, length),
                (r, ctx, buffer, offset, length) -> r.onSegment(ctx, buffer, offset, length))
            .replicated(LiveEvents.APP_READ, (r, ctx, buffer, offset, length) -> r.onAppRead(ctx, buffer, offset, length))
            .replicated(LiveEvents.APP_WRITE, (r, ctx, buffer, offset, length) -> r.onAppWrite(ctx, buffer, offset, length))
            .replicated(LiveEvents.APP_CLOSE, (r, ctx, buffer, offset, length) -> r.onAppClose(ctx))
            .timers((r, ctx, timerId, deadlineNs, correlation) -> r.onTimer(ctx, timerId));
        this.group = ReplicaGroup
            .builder(i -> new LiveReplica(i, config, localAddress, localPort, shared, status))
            .name(name)
            .replicas(replicas)
            .channel(subscribers -> BroadcastRing.builder().capacity(1 << 23).subscribers(subscribers).build())
            .output(output, true)
            .handlers(handlers)
            .idleStrategy(idle)
            .verdictCapacity(4096)
            .outboxCapacity(1 << 22) // a dispatch may emit a whole send window while the loop sends the last
            .digestEvery(digestEvery)
            .start();
        this.loopPublisher = group.newPublisher();
        this.appPublisher = group.newPublisher();
    }

    // ------------------------------------------------------------------------------------------- event loop

    /**
     * A received IPv4 packet of this connection (checksums not verified: that is the replicas' look-ahead work;
     * partialChecksum: the TCP checksum is virtio NEEDS_CSUM, see {@link Interface#deliveredPartialChecksumField()}).
     * Never blocks for long: while the input is back-pressured it drains the output, which is what the replicas
     * may be waiting on.
     */
    void onPacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final boolean partialChecksum,
        final long nowNs,
        final Interface iface)
    {
        this.nowNs = nowNs;
        this.iface = iface;
        tick(nowNs, true);
        offerDraining(partialChecksum ? LiveEvents.SEGMENT_PARTIAL_CHECKSUM : LiveEvents.SEGMENT, frames++, buffer, offset, length);
    }

    /**
     * Publish a tick if time moved on, and send what the replicas emitted.
     *
     * @return frames sent.
     */
    int poll(final long nowNs, final Interface iface)
    {
        this.nowNs = nowNs;
        this.iface = iface;
        tick(nowNs, false);
        return pollOutput();
    }

    private void tick(final long nowNs, final boolean mustPublish)
    {
        if (nowNs - lastTickNs >= TICK_INTERVAL_NS || lastTickNs == Long.MIN_VALUE)
        {
            // ticks may be skipped when the channel is full; a frame's tick is retried so its timestamp is fresh
            while (loopPublisher.offerTick(nowNs) < 0 && mustPublish && checkGroup())
            {
                pollOutput();
                LockSupport.parkNanos(1_000);
            }
            lastTickNs = nowNs;
        }
    }

    private void offerDraining(final int type, final long eventKey, final DirectBuffer buffer, final int offset, final int length)
    {
        long result;
        while ((result = loopPublisher.offer(type, eventKey, buffer, offset, length)) < 0)
        {
            if (!ChannelResult.isRetryable(result) || !checkGroup())
            {
                return; // the group stopped: the frame is lost like one on the wire
            }
            pollOutput();
            LockSupport.parkNanos(1_000);
        }
    }

    private boolean checkGroup()
    {
        return null == group.failure() && group.isRunning();
    }

    /**
     * @return frames sent onto the interface.
     */
    int pollOutput()
    {
        int sent = 0;
        int n;
        while ((n = outputSubscriber.poll(outputHandler, 64)) > 0)
        {
            sent += n;
        }
        return sent;
    }

    private void onOutput(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (type != LiveEvents.OUTPUT_FRAME || length < EventDescriptor.HEADER_LENGTH)
        {
            return;
        }
        reorder.onFrame(EventDescriptor.key(buffer, offset), buffer, offset + EventDescriptor.HEADER_LENGTH,
            length - EventDescriptor.HEADER_LENGTH, toInterface);
    }

    private void send(final DirectBuffer buffer, final int offset, final int length)
    {
        // the replica built a whole IPv4 packet; the interface writes its own IPv4 and Ethernet headers
        final int tcpLength = length - Ipv4Packet.MIN_HEADER_LENGTH;
        if (tcpLength <= 0 || tcpLength > iface.maxIpv4Payload())
        {
            sendFailures++;
            return;
        }
        final int destination = buffer.getInt(offset + Ipv4Packet.DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
        iface.claimIpv4Payload().putBytes(Interface.PAYLOAD_OFFSET, buffer, offset + Ipv4Packet.MIN_HEADER_LENGTH, tcpLength);
        framesSent++;
        if (iface.sendClaimed(nowNs, destination, Ipv4Packet.PROTOCOL_TCP, tcpLength) < 0)
        {
            sendFailures++; // lost like a frame lost on the wire: TCP recovers
        }
    }

    /**
     * @return true when the event loop may drop the connection: the application released it and every replica is
     * closed or in TIME-WAIT, or the replicas failed, or it was released {@code graceNs} ago.
     */
    boolean reapable(final long nowNs, final long graceNs)
    {
        if (!released)
        {
            return false;
        }
        if (0 == releasedAtNs)
        {
            releasedAtNs = nowNs;
        }
        return !checkGroup() || status.allIn(TcpState.CLOSED) || status.allIn(TcpState.TIME_WAIT) ||
            nowNs - releasedAtNs > graceNs;
    }

    /**
     * Stop the replicas and free the channels (event loop, after {@link #reapable}).
     *
     * @return the replicas' failure, or null.
     */
    ReplicaGroupException stop()
    {
        pollOutput();
        ReplicaGroupException failure = null;
        try
        {
            group.close(ShutdownMode.ABORT);
        }
        catch (final ReplicaGroupException ex)
        {
            failure = ex;
        }
        output.close();
        return failure;
    }

    long key()
    {
        return key;
    }

    // ------------------------------------------------------------------------------------------- application

    /**
     * @return true once every replica is past the handshake (or the connection already ended).
     */
    boolean established()
    {
        if (!status.allReported())
        {
            return false;
        }
        for (int r = 0; r < replicas; r++)
        {
            final TcpState state = status.state(r);
            if (state == TcpState.SYN_RECEIVED || state == TcpState.LISTEN)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Block until some bytes are deliverable (every replica completed them).
     *
     * @return bytes copied (at least 1), or -1 at end of stream (every replica received the FIN and every byte
     * before it was read).
     * @throws IOException if the connection was reset or timed out, the replicas failed, or nothing arrived for
     *                     {@code timeoutMs}.
     */
    public int read(final byte[] dst, final int offset, final int length, final long timeoutMs) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            // acquire the FIN flags first: a replica publishes its final mark before its FIN flag (ReplicaStatus)
            final boolean fin = status.allRemoteClosed();
            final long available = shared.minMark() - readPosition;
            if (available > 0)
            {
                final int n = (int)Math.min(length, available);
                appView.wrap(dst, offset, n);
                shared.read(readPosition, appView, 0, n);
                readPosition += n;
                // after the copy: the channel's commit (release) orders it before any replica frees the space
                appBody.putLong(0, n, ByteOrder.LITTLE_ENDIAN);
                appPublisher.publish(LiveEvents.APP_READ, reads++, appBody, 0, LiveEvents.APP_READ_LENGTH);
                return n;
            }
            if (fin)
            {
                return -1;
            }
            checkUsable("read", deadline);
            LockSupport.parkNanos(20_000);
        }
    }

    /**
     * Block until every byte is in the replicas' send buffers (published as APP_WRITE events no larger than the
     * room every replica has: the room a replica reports only grows until the application writes again, so each
     * write fits every replica's buffer when it reaches it).
     *
     * @throws IOException if the connection can no longer send or no room came for {@code timeoutMs}.
     */
    public void write(final byte[] src, final int offset, final int length, final long timeoutMs) throws IOException
    {
        int done = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (done < length)
        {
            if (closeRequested)
            {
                throw new IOException("write after close on " + describe());
            }
            final long room = sendCapacity - (appWritten - status.minReleased());
            if (room > 0)
            {
                final int n = (int)Math.min(Math.min(room, MAX_WRITE_EVENT), length - done);
                appBody.putBytes(0, src, offset + done, n);
                appPublisher.publish(LiveEvents.APP_WRITE, writes++, appBody, 0, n);
                appWritten += n;
                done += n;
                deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                continue;
            }
            checkUsable("write", deadline);
            LockSupport.parkNanos(20_000);
        }
    }

    /**
     * Send a FIN after the queued data (RFC 9293 CLOSE) and wait until every replica has had everything
     * acknowledged (FIN-WAIT-2, TIME-WAIT or CLOSED), then give the connection back to the event loop.
     *
     * @return true if that happened within {@code timeoutMs}.
     */
    public boolean close(final long timeoutMs)
    {
        if (!closeRequested)
        {
            closeRequested = true;
            try
            {
                appPublisher.publish(LiveEvents.APP_CLOSE, 0, appBody, 0, 0);
            }
            catch (final RuntimeException ex)
            {
                released = true;
                return false;
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean done = false;
        while (checkGroup() && System.nanoTime() < deadline)
        {
            if (status.allIn(TcpState.CLOSED) || status.allIn(TcpState.TIME_WAIT) || status.allIn(TcpState.FIN_WAIT_2))
            {
                done = true;
                break;
            }
            LockSupport.parkNanos(100_000);
        }
        released = true;
        return done;
    }

    private void checkUsable(final String what, final long deadlineNs) throws IOException
    {
        final ReplicaGroupException failure = group.failure();
        if (null != failure)
        {
            throw new IOException(what + " on " + describe() + ": replicas failed", failure);
        }
        if (!group.isRunning())
        {
            throw new IOException(what + " on " + describe() + ": replicas stopped");
        }
        for (int r = 0; r < replicas; r++)
        {
            if (status.state(r) == TcpState.CLOSED)
            {
                throw new IOException(what + " on " + describe() + ": connection closed on replica " + r + ", error=" +
                    status.error(r));
            }
        }
        if (System.nanoTime() > deadlineNs)
        {
            throw new IOException(what + " on " + describe() + " timed out\n" + group.report());
        }
    }

    /**
     * @return "a.b.c.d:port" of the peer.
     */
    public String describe()
    {
        return Ipv4Address.toString(remoteAddress) + ":" + remotePort;
    }

    /**
     * @return replicas running the connection.
     */
    public int replicas()
    {
        return replicas;
    }

    /**
     * @return the group (counters, placement report, failure).
     */
    public ReplicaGroup<?> group()
    {
        return group;
    }

    /**
     * @return the shared receive buffer (marks and per-replica copy counters).
     */
    public SharedReceiveBuffer sharedBuffer()
    {
        return shared;
    }

    /**
     * @return "frames in/out, reorder, failures, per-replica copies" (diagnostics; read racily from another
     * thread).
     */
    public String stats()
    {
        return "replicas=" + replicas + " framesIn=" + frames + " framesOut=" + framesSent + " sendFailures=" +
            sendFailures + " reorderHeld=" + reorder.held() + " reorderUnordered=" + reorder.unordered() +
            " delivered=" + readPosition + " " + shared.copyReport() + " (split " + shared.split() + ")";
    }
}
