package io.dominoes.net.misd.live;

import io.dominoes.core.ReplicaGroupException;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.iface.Interface;
import io.dominoes.net.iface.Ipv4PayloadHandler;
import io.dominoes.net.misd.PayloadCopySplit;
import io.dominoes.net.stack.BlockingTcpStack;
import io.dominoes.net.stack.TcpLayer;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A listening port whose connections run replicated: every connection accepted on it is a
 * {@link ReplicatedConnection}, its whole TCB (handshake included) on a group of replicas.
 * <p>
 * <b>Demux stays on the event loop.</b> It takes the interface's TCP handler slot in front of the
 * {@link TcpLayer}: a segment to another port goes to the layer unchanged (plain connections, RST for unknown
 * ports); a segment of a known replicated connection is published once into that connection's channel; a SYN
 * (no ACK, no RST) for a new 4-tuple creates a connection and is its first event; anything else for the port
 * goes to the layer, which has no listener there and answers with a RST (RFC 9293 3.10.7.1). The demux reads
 * only the ports and flags: checksums are the replicas' look-ahead verdict, not the loop's work.
 * <p>
 * <b>Why the whole TCB from the SYN, not a hand-over once established:</b> a socket's state after the handshake
 * (ISN, options, timestamps, window scale, RTT sample) would have to be copied into every replica at a point of
 * the channel order, while the loop keeps receiving; starting every replica from LISTEN with the SYN as event 0
 * gives them that state by construction, and the SYN-ACK is just the first emission.
 * <p>
 * Threads: {@link #onIpv4} and the {@link BlockingTcpStack.LoopHook} methods run on the event loop (under the
 * blocking stack's lock); {@link #accept} on any application thread.
 */
public final class ReplicatedTcpListener implements Ipv4PayloadHandler, BlockingTcpStack.LoopHook
{
    private static final long RELEASE_GRACE_NS = TimeUnit.SECONDS.toNanos(5);

    private final TcpLayer tcp;
    private final Interface iface;
    private final int port;
    private final int replicas;
    private final int maxConnections;
    private final TcpConfig config;
    private final Supplier<IdleStrategy> idle;
    private final int digestEvery;
    private final PayloadCopySplit copySplit;
    private final Long2ObjectHashMap<ReplicatedConnection> table;
    private final List<ReplicatedConnection> active = new ArrayList<>();
    private final ConcurrentLinkedQueue<ReplicatedConnection> acceptQueue = new ConcurrentLinkedQueue<>();
    private long created;
    private long synsDropped;
    private long reaped;
    private long failures;
    private volatile String lastFailure;

    private ReplicatedTcpListener(final Builder b)
    {
        this.tcp = b.tcp;
        this.iface = b.tcp.iface();
        this.port = b.port;
        this.replicas = b.replicas;
        this.maxConnections = b.maxConnections;
        this.config = b.config;
        // RFC 9293 3.7.1: announce no more than the MTU carries (as TcpLayer does for its sockets)
        config.mss(Math.min(config.mss(), iface.maxIpv4Payload() - TcpSegment.MIN_HEADER_LENGTH));
        config.conclude();
        this.idle = null != b.idle ? b.idle :
            IdleStrategies.defaultFor(b.replicas + 1, Runtime.getRuntime().availableProcessors());
        this.digestEvery = b.digestEvery;
        this.copySplit = b.copySplit;
        this.table = new Long2ObjectHashMap<>(Math.max(8, maxConnections * 2), 0.65f);
        iface.registerHandler(Ipv4Packet.PROTOCOL_TCP, this);
    }

    /**
     * @param tcp  the layer that handles every other port; its interface's TCP slot is taken over.
     * @param port to listen on (no {@link TcpLayer} listener may use it).
     * @return a builder.
     */
    public static Builder builder(final TcpLayer tcp, final int port)
    {
        return new Builder(tcp, port);
    }

    // ------------------------------------------------------------------------------------------- event loop

    /**
     * {@inheritDoc}
     */
    public void onIpv4(
        final int sourceAddress,
        final int destinationAddress,
        final int protocol,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        if (length < TcpSegment.MIN_HEADER_LENGTH || destinationAddress != iface.address() ||
            (buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) != port)
        {
            tcp.onIpv4(sourceAddress, destinationAddress, protocol, buffer, offset, length, nowNs);
            return;
        }
        final int ipStart = ipv4Start(buffer, offset, length, sourceAddress);
        if (ipStart < 0)
        {
            tcp.onIpv4(sourceAddress, destinationAddress, protocol, buffer, offset, length, nowNs);
            return;
        }
        final int remotePort = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final long key = ((long)sourceAddress << 32) | ((long)remotePort << 16) | port;
        ReplicatedConnection connection = table.get(key);
        if (null == connection)
        {
            final int flags = buffer.getByte(offset + 13) & 0xFF;
            final boolean syn = (flags & TcpSegment.FLAG_SYN) != 0 &&
                (flags & (TcpSegment.FLAG_ACK | TcpSegment.FLAG_RST)) == 0;
            if (!syn)
            {
                tcp.onIpv4(sourceAddress, destinationAddress, protocol, buffer, offset, length, nowNs);
                return;
            }
            if (active.size() >= maxConnections)
            {
                synsDropped++; // like a full backlog: the peer retries its SYN
                return;
            }
            connection = new ReplicatedConnection(key, iface.address(), port, sourceAddress, remotePort, config,
                replicas, idle, digestEvery, copySplit, "misd-tcp-" + port + "-" + created++);
            table.put(key, connection);
            active.add(connection);
            acceptQueue.add(connection);
        }
        connection.onPacket(buffer, ipStart, offset - ipStart + length,
            iface.deliveredPartialChecksumField() == TcpSegment.CHECKSUM_OFFSET, nowNs, iface);
    }

    /**
     * The interface hands over the TCP payload; the replicas take the whole IPv4 packet (their verdict checks the
     * IPv4 header too), which lies just before it in the receive buffer. Find its start: the header length that
     * names itself, and whose total length and source address agree.
     */
    private static int ipv4Start(final DirectBuffer buffer, final int offset, final int length, final int source)
    {
        for (int ihl = 5; ihl <= 15; ihl++)
        {
            final int start = offset - 4 * ihl;
            if (start < 0)
            {
                return -1;
            }
            if ((buffer.getByte(start) & 0xFF) == (0x40 | ihl) &&
                (buffer.getShort(start + Ipv4Packet.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) == 4 * ihl + length &&
                buffer.getInt(start + Ipv4Packet.SOURCE_OFFSET, ByteOrder.BIG_ENDIAN) == source)
            {
                return start;
            }
        }
        return -1;
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final long nowNs)
    {
        int work = 0;
        for (int i = active.size() - 1; i >= 0; i--)
        {
            final ReplicatedConnection connection = active.get(i);
            work += connection.poll(nowNs, iface);
            if (connection.reapable(nowNs, RELEASE_GRACE_NS))
            {
                table.remove(connection.key());
                active.remove(i);
                acceptQueue.remove(connection);
                reaped++;
                final ReplicaGroupException failure = connection.stop();
                if (null != failure)
                {
                    failures++;
                    lastFailure = connection.describe() + ": " + failure;
                    System.err.println("replicated connection " + connection.describe() + " failed: " + failure);
                }
            }
        }
        return work;
    }

    /**
     * {@inheritDoc}
     * <p>
     * While a replicated connection is open the loop keeps polling (parking briefly): the replicas' output and
     * the connection's ticks do not wake the device wait.
     */
    public long pollAtNs(final long nowNs)
    {
        return active.isEmpty() ? Long.MAX_VALUE : nowNs;
    }

    /**
     * Stop every connection (event loop, or after the loop stopped).
     */
    public void closeAll()
    {
        for (final ReplicatedConnection connection : active)
        {
            connection.stop();
        }
        active.clear();
        table.clear();
        acceptQueue.clear();
    }

    // ------------------------------------------------------------------------------------------- application

    /**
     * @return the next connection whose handshake every replica completed, or null after {@code timeoutMs}.
     */
    public ReplicatedConnection accept(final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            for (final ReplicatedConnection connection : acceptQueue)
            {
                if (connection.established() && acceptQueue.remove(connection))
                {
                    return connection;
                }
            }
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted())
            {
                return null;
            }
            LockSupport.parkNanos(200_000);
        }
    }

    public int port()
    {
        return port;
    }

    public int replicas()
    {
        return replicas;
    }

    /**
     * @return "created, open, reaped, dropped SYNs, failures" (diagnostics; read racily).
     */
    public String stats()
    {
        return "replicated connections created=" + created + " open=" + active.size() + " reaped=" + reaped +
            " synsDropped=" + synsDropped + " failures=" + failures + (null == lastFailure ? "" : " last=" + lastFailure);
    }

    /**
     * @return replicated connections whose replicas failed (divergence, handler exception).
     */
    public long failures()
    {
        return failures;
    }

    /**
     * Configuration.
     */
    public static final class Builder
    {
        private final TcpLayer tcp;
        private final int port;
        private int replicas = 1;
        private int maxConnections = 4;
        private TcpConfig config = new TcpConfig().receiveBufferCapacity(1 << 20).sendBufferCapacity(1 << 20);
        private Supplier<IdleStrategy> idle;
        private int digestEvery = 1024;
        private PayloadCopySplit copySplit = PayloadCopySplit.DEFAULT;

        private Builder(final TcpLayer tcp, final int port)
        {
            this.tcp = tcp;
            this.port = port;
        }

        public Builder replicas(final int replicas)
        {
            this.replicas = replicas;
            return this;
        }

        /**
         * @param max replicated connections open at once (each has its own replica threads); SYNs beyond are dropped.
         * @return this.
         */
        public Builder maxConnections(final int max)
        {
            this.maxConnections = max;
            return this;
        }

        /**
         * @param config socket settings of every replica (MSS lowered to the MTU); the receive buffer capacity is
         *               the shared buffer's.
         * @return this.
         */
        public Builder socketConfig(final TcpConfig config)
        {
            this.config = config;
            return this;
        }

        /**
         * @param idle replicas' idle strategy; default {@link IdleStrategies#defaultFor} (replicas + the loop
         *             thread against the cores): never spins when oversubscribed.
         * @return this.
         */
        public Builder idleStrategy(final Supplier<IdleStrategy> idle)
        {
            this.idle = idle;
            return this;
        }

        /**
         * @param k compare the replicas' TCB digests every {@code k} events, 0 for never.
         * @return this.
         */
        public Builder digestEvery(final int k)
        {
            this.digestEvery = k;
            return this;
        }

        /**
         * @param copySplit how each connection's replicas divide the copy of large segments (default
         *                  {@link PayloadCopySplit#DEFAULT}; {@link PayloadCopySplit#NEVER}: the segment's owner
         *                  copies all of it).
         * @return this.
         */
        public Builder copySplit(final PayloadCopySplit copySplit)
        {
            this.copySplit = copySplit;
            return this;
        }

        /**
         * Build and take over the interface's TCP handler (call on the loop thread, or before it starts).
         *
         * @throws IllegalArgumentException naming the bad value.
         */
        public ReplicatedTcpListener start()
        {
            if (port < 1 || port > 65535)
            {
                throw new IllegalArgumentException("port=" + port + " not in [1, 65535]");
            }
            if (replicas < 1 || replicas > 64)
            {
                throw new IllegalArgumentException("replicas=" + replicas + " not in [1, 64]");
            }
            if (maxConnections < 1 || maxConnections > 64)
            {
                throw new IllegalArgumentException("maxConnections=" + maxConnections + " not in [1, 64]");
            }
            if (digestEvery < 0)
            {
                throw new IllegalArgumentException("digestEvery=" + digestEvery + " must be >= 0");
            }
            if (null == copySplit)
            {
                throw new IllegalArgumentException("copySplit must not be null");
            }
            return new ReplicatedTcpListener(this);
        }
    }
}
