package io.dominoes.net.stack;

import io.dominoes.net.iface.Interface;
import io.dominoes.net.iface.Ipv4PayloadHandler;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpEmitter;
import io.dominoes.net.tcp.TcpSegmentRepr;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.tcp.TcpState;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * TCP over one {@link Interface}: the IPv4 protocol-6 handler. It verifies the checksum, demultiplexes
 * segments by 4-tuple to a bounded table of preallocated {@link TcpSocket}s, creates connections for
 * SYNs to listeners within their backlog, answers segments for unknown connections with a RST (RFC
 * 9293 3.10.7.1), and sends what the sockets emit in place in the interface's transmit buffer
 * ({@link Interface#claimIpv4Payload()} / {@link Interface#sendClaimed}). Every segment handed in is
 * either accepted by a socket or counted under a {@link TcpDropReason}.
 * <p>
 * Single threaded: {@link #onIpv4}, {@link #poll(long)} and every application call run on the
 * thread that polls the interface. Time is an input. Steady state allocates nothing: sockets and
 * their buffers are created once per table slot (lazily, at most {@code maxConnections}) and reused;
 * the table is a primitive-keyed open-addressing map sized so it never grows.
 */
public final class TcpLayer implements Ipv4PayloadHandler, TcpEmitter
{
    private static final int EPHEMERAL_FIRST = 49152;
    private static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

    private final Interface iface;
    private final TcpStackConfig config;
    private final TcpConfig socketConfig;
    private final TcpConnection[] slots;
    private final int[] freeSlots;
    private int freeCount;
    private int slotsCreated;
    private final TcpConnection[] active;
    private int activeCount;
    private final Long2ObjectHashMap<TcpConnection> table;
    private final Int2ObjectHashMap<TcpListener> listeners;
    private final TcpSegment wire = new TcpSegment();
    private final TcpSegment resetScratch = new TcpSegment();
    private final TcpSegmentRepr repr = new TcpSegmentRepr();
    private final long[] drops = new long[TcpDropReason.COUNT];

    private long nowNs;
    private int claimDestination;
    private int claimLength;
    private int nextEphemeral;

    private long segmentsReceived;
    private long partialChecksumSegments;
    private long segmentsAccepted;
    private long segmentsSent;
    private long resetsSent;
    private long sendFailures;
    private long connectionsOpened;
    private long connectionsReclaimed;

    /**
     * Registers itself as the interface's TCP handler.
     *
     * @param iface  to receive from and send on.
     * @param config limits; its socket config's MSS is lowered to what the interface MTU carries.
     */
    public TcpLayer(final Interface iface, final TcpStackConfig config)
    {
        this.iface = iface;
        this.config = config;
        this.socketConfig = config.socketConfig();
        // RFC 9293 3.7.1: the MSS "MUST NOT" exceed what fits the MTU: "Eff.snd.MSS = min(SendMSS+20, MMS_S) -
        // TCPhdrsize - IPoptionsize"; we announce MTU - 20 (IPv4) - 20 (TCP).
        final int mtuMss = iface.maxIpv4Payload() - TcpSegment.MIN_HEADER_LENGTH;
        socketConfig.mss(Math.min(socketConfig.mss(), mtuMss));
        config.conclude();
        final int max = config.maxConnections();
        this.slots = new TcpConnection[max];
        this.freeSlots = new int[max];
        this.active = new TcpConnection[max];
        this.table = new Long2ObjectHashMap<>(Math.max(8, max * 2), 0.65f);
        this.listeners = new Int2ObjectHashMap<>(Math.max(8, config.maxListeners() * 2), 0.65f);
        this.nextEphemeral = 0;
        iface.registerHandler(Ipv4Packet.PROTOCOL_TCP, this);
    }

    // ------------------------------------------------------------------------------------------------ application

    /**
     * Accept connections on {@code port}.
     *
     * @param backlog bound on connections between SYN and accept, 1..maxBacklog.
     */
    public TcpListener listen(final int port, final int backlog)
    {
        checkPort(port);
        if (backlog < 1 || backlog > config.maxBacklog())
        {
            throw new IllegalArgumentException("backlog=" + backlog + " not in [1, maxBacklog=" + config.maxBacklog() + "]");
        }
        if (listeners.containsKey(port))
        {
            throw new IllegalStateException("port=" + port + " already has a listener");
        }
        if (listeners.size() >= config.maxListeners())
        {
            throw new IllegalStateException("listeners=" + listeners.size() + " at maxListeners=" + config.maxListeners());
        }
        final TcpListener listener = new TcpListener(port, backlog);
        listeners.put(port, listener);
        return listener;
    }

    /**
     * @return the next established connection of the listener, or null if none is waiting.
     */
    public TcpConnection accept(final TcpListener listener)
    {
        TcpConnection connection;
        while (null != (connection = listener.acceptQueue.poll()))
        {
            connection.queued = false;
            connection.listener = null;
            listener.members--;
            if (connection.socket.state() == TcpState.CLOSED)
            {
                reclaimIfDone(connection); // reset before it was accepted
                continue;
            }
            connection.userOwned = true;
            return connection;
        }
        return null;
    }

    /**
     * Stop listening; connections not yet accepted are reset.
     */
    public void close(final TcpListener listener)
    {
        if (listener.closed)
        {
            return;
        }
        listener.closed = true;
        listeners.remove(listener.port);
        TcpConnection connection;
        while (null != (connection = listener.acceptQueue.poll()))
        {
            connection.queued = false;
            connection.listener = null;
            listener.members--;
            connection.socket.abort();
        }
        for (int i = 0; i < activeCount; i++)
        {
            if (active[i].listener == listener)
            {
                active[i].listener = null;
                listener.members--;
                active[i].socket.abort();
            }
        }
    }

    /**
     * Active open from an ephemeral port; the SYN goes out on the next {@link #poll}.
     *
     * @throws IllegalStateException when the connection table is full.
     */
    public TcpConnection connect(final int remoteAddress, final int remotePort, final long nowNs)
    {
        checkPort(remotePort);
        if (0 == freeCount && slotsCreated == slots.length)
        {
            throw new IllegalStateException("connection table full: maxConnections=" + slots.length);
        }
        int localPort = 0;
        for (int i = 0; i < EPHEMERAL_COUNT; i++)
        {
            final int candidate = EPHEMERAL_FIRST + (nextEphemeral++ % EPHEMERAL_COUNT);
            if (!listeners.containsKey(candidate) && !table.containsKey(key(remoteAddress, remotePort, candidate)))
            {
                localPort = candidate;
                break;
            }
        }
        if (0 == localPort)
        {
            throw new IllegalStateException("no free ephemeral port to " + remoteAddress + ":" + remotePort);
        }
        final TcpConnection connection = allocate();
        connection.socket.connect(iface.address(), localPort, remoteAddress, remotePort, nowNs);
        connection.userOwned = true;
        insert(connection, key(remoteAddress, remotePort, localPort));
        return connection;
    }

    // ------------------------------------------------------------------------------------------------ event loop

    /**
     * Run the sockets' timers and send what they have due.
     *
     * @return segments sent.
     */
    public int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        int work = 0;
        for (int i = activeCount - 1; i >= 0; i--)
        {
            final TcpConnection connection = active[i];
            if (connection.socket.pollAt() <= nowNs)
            {
                work += connection.socket.dispatch(this, nowNs);
                afterInput(connection);
            }
        }
        return work;
    }

    /**
     * @return the earliest time a socket wants {@link #poll}: 0 or less when now, Long.MAX_VALUE if never.
     */
    public long pollAtNs()
    {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < activeCount; i++)
        {
            at = Math.min(at, active[i].socket.pollAt());
        }
        return at;
    }

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
        this.nowNs = nowNs;
        segmentsReceived++;
        if (destinationAddress != iface.address())
        {
            // RFC 1122 4.2.3.10: "A TCP MUST ... silently discard" segments addressed to broadcast/multicast.
            drop(TcpDropReason.BROADCAST);
            return;
        }
        wire.wrap(buffer, offset, length);
        if (TcpSegment.OK != wire.checkLength())
        {
            drop(TcpDropReason.MALFORMED);
            return;
        }
        if (iface.deliveredPartialChecksumField() == TcpSegment.CHECKSUM_OFFSET)
        {
            // virtio_net_hdr VIRTIO_NET_HDR_F_NEEDS_CSUM from the local kernel over a TAP: the field
            // holds only the pseudo-header sum (linux/virtio_net.h: "Position to start checksumming
            // from, and offset to store checksum"), nothing was computed over the bytes, so there is
            // nothing to verify: the segment never crossed a wire, as with a NIC's checksum offload.
            partialChecksumSegments++;
        }
        else if (!wire.verifyChecksum(sourceAddress, destinationAddress))
        {
            drop(TcpDropReason.BAD_CHECKSUM);
            return;
        }
        if (TcpSegment.OK != repr.parse(wire, sourceAddress, destinationAddress))
        {
            drop(TcpDropReason.BAD_OPTIONS);
            return;
        }
        final TcpConnection connection = table.get(key(sourceAddress, repr.srcPort(), repr.dstPort()));
        if (null != connection)
        {
            final int result = connection.socket.process(repr, nowNs);
            count(result);
            afterInput(connection);
            return;
        }
        onUnmatched();
    }

    private void onUnmatched()
    {
        final TcpListener listener = listeners.get(repr.dstPort());
        if (null == listener)
        {
            // RFC 9293 3.10.7.1 CLOSED: "An incoming segment not containing a RST causes a RST to be sent in response."
            drop(TcpDropReason.NO_CONNECTION);
            sendReset();
            return;
        }
        // RFC 9293 3.10.7.2 LISTEN: a RST is ignored; "Any acknowledgment is bad if it arrives on a connection
        // still in the LISTEN state. An acceptable reset segment should be formed for any arriving ACK-bearing
        // segment"; anything else without SYN is dropped.
        if (repr.hasFlag(TcpSegment.FLAG_RST) || !repr.hasFlag(TcpSegment.FLAG_SYN) || repr.hasFlag(TcpSegment.FLAG_ACK))
        {
            drop(TcpDropReason.LISTEN_NOT_SYN);
            if (repr.hasFlag(TcpSegment.FLAG_ACK))
            {
                sendReset();
            }
            return;
        }
        if (listener.members >= listener.backlog)
        {
            drop(TcpDropReason.BACKLOG_FULL);
            return;
        }
        if (0 == freeCount && slotsCreated == slots.length)
        {
            drop(TcpDropReason.TABLE_FULL);
            return;
        }
        final TcpConnection connection = allocate();
        connection.socket.listen(iface.address(), listener.port);
        final int result = connection.socket.process(repr, nowNs);
        count(result);
        if (connection.socket.state() != TcpState.SYN_RECEIVED)
        {
            connection.socket.abort();
            free(connection);
            return;
        }
        connection.listener = listener;
        listener.members++;
        insert(connection, key(repr.srcAddr(), repr.srcPort(), repr.dstPort()));
    }

    private void sendReset()
    {
        if (TcpSocket.emitResetForUnmatched(repr, this, resetScratch))
        {
            resetsSent++;
        }
    }

    private void count(final int result)
    {
        if (result < 0)
        {
            drop(TcpDropReason.fromSocketResult(result));
        }
        else
        {
            segmentsAccepted++;
        }
    }

    /**
     * After input or a dispatch: move a newly established passive connection to its listener's accept
     * queue, and give back the slot of a connection that is closed, has nothing left to send and is
     * no longer the application's.
     */
    private void afterInput(final TcpConnection connection)
    {
        final TcpListener listener = connection.listener;
        if (connection.socket.state() == TcpState.LISTEN)
        {
            // RFC 9293 3.10.7.4: a RST in SYN-RECEIVED of a passive open "return[s] this connection to LISTEN".
            // Here the listener is the TcpListener, not the socket: a socket left listening would keep its
            // table entry and its place in the backlog for ever, so it is closed (abort sends nothing from LISTEN).
            connection.socket.abort();
        }
        if (null != listener && !connection.queued && connection.socket.state().isSynchronized())
        {
            connection.queued = true;
            listener.acceptQueue.add(connection); // never grows: members <= backlog = initial capacity
        }
        if (connection.socket.state() == TcpState.CLOSED)
        {
            if (null != listener && !connection.queued)
            {
                connection.listener = null; // a SYN-RECEIVED connection that timed out or was reset
                listener.members--;
            }
            reclaimIfDone(connection);
        }
    }

    private void reclaimIfDone(final TcpConnection connection)
    {
        if (connection.socket.state() == TcpState.CLOSED && connection.socket.pollAt() == Long.MAX_VALUE &&
            !connection.queued && (connection.userClosed || !connection.userOwned) && connection.activeIndex >= 0)
        {
            remove(connection);
            free(connection);
            connectionsReclaimed++;
        }
    }

    // ------------------------------------------------------------------------------------------------ emitter

    /**
     * {@inheritDoc}
     */
    public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
    {
        if (tcpLength > iface.maxIpv4Payload())
        {
            throw new IllegalStateException("segment of " + tcpLength + " bytes exceeds maxIpv4Payload=" +
                iface.maxIpv4Payload() + " (MSS not derived from the MTU?)");
        }
        claimDestination = dstAddr;
        claimLength = tcpLength;
        return Interface.PAYLOAD_OFFSET;
    }

    /**
     * {@inheritDoc}
     */
    public MutableDirectBuffer buffer()
    {
        return iface.claimIpv4Payload();
    }

    /**
     * {@inheritDoc}
     */
    public void commit()
    {
        segmentsSent++;
        // A frame the device would not take is lost like one lost on the wire; TCP retransmits it.
        if (iface.sendClaimed(nowNs, claimDestination, Ipv4Packet.PROTOCOL_TCP, claimLength) < 0)
        {
            sendFailures++;
        }
    }

    // ------------------------------------------------------------------------------------------------ table

    private static long key(final int remoteAddress, final int remotePort, final int localPort)
    {
        // The interface has one address, so remote address, remote port and local port name a connection.
        return ((long)remoteAddress << 32) | ((long)(remotePort & 0xFFFF) << 16) | (localPort & 0xFFFF);
    }

    private TcpConnection allocate()
    {
        if (freeCount > 0)
        {
            return slots[freeSlots[--freeCount]];
        }
        final int slot = slotsCreated++;
        final TcpConnection connection = new TcpConnection(new TcpSocket(socketConfig), slot);
        slots[slot] = connection;
        return connection;
    }

    private void free(final TcpConnection connection)
    {
        connection.listener = null;
        connection.queued = false;
        connection.userOwned = false;
        connection.userClosed = false;
        freeSlots[freeCount++] = connection.slot;
    }

    private void insert(final TcpConnection connection, final long key)
    {
        connection.key = key;
        table.put(key, connection);
        connection.activeIndex = activeCount;
        active[activeCount++] = connection;
        connectionsOpened++;
    }

    private void remove(final TcpConnection connection)
    {
        table.remove(connection.key);
        final int index = connection.activeIndex;
        final TcpConnection last = active[--activeCount];
        active[index] = last;
        last.activeIndex = index;
        active[activeCount] = null;
        connection.activeIndex = -1;
    }

    private void drop(final int reason)
    {
        drops[reason]++;
    }

    private static void checkPort(final int port)
    {
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port=" + port + " not in [1, 65535]");
        }
    }

    // ------------------------------------------------------------------------------------------------ counters

    /**
     * @param reason a {@link TcpDropReason}.
     * @return segments dropped for it.
     */
    public long drops(final int reason)
    {
        return drops[reason];
    }

    /**
     * @return the sum of all drop counters.
     */
    public long totalDrops()
    {
        long sum = 0;
        for (final long d : drops)
        {
            sum += d;
        }
        return sum;
    }

    /**
     * @return non-zero drop counters as "NAME=n" (diagnostics; allocates).
     */
    public String describeDrops()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < TcpDropReason.COUNT; i++)
        {
            if (drops[i] != 0)
            {
                sb.append(sb.length() == 0 ? "" : " ").append(TcpDropReason.name(i)).append('=').append(drops[i]);
            }
        }
        return sb.toString();
    }

    /**
     * @return segments whose checksum was partial (virtio NEEDS_CSUM over a TAP) and so not verified.
     */
    public long partialChecksumSegments()
    {
        return partialChecksumSegments;
    }

    /**
     * @return IPv4 payloads handed to this layer: {@link #segmentsAccepted()} plus {@link #totalDrops()}.
     */
    public long segmentsReceived()
    {
        return segmentsReceived;
    }

    public long segmentsAccepted()
    {
        return segmentsAccepted;
    }

    public long segmentsSent()
    {
        return segmentsSent;
    }

    public long resetsSent()
    {
        return resetsSent;
    }

    /**
     * @return segments the interface could not send (device busy, no route, ARP queue full).
     */
    public long sendFailures()
    {
        return sendFailures;
    }

    /**
     * @return table slots in use.
     */
    public int connectionCount()
    {
        return activeCount;
    }

    /**
     * @return sockets ever created (bounded by maxConnections).
     */
    public int socketsCreated()
    {
        return slotsCreated;
    }

    public long connectionsOpened()
    {
        return connectionsOpened;
    }

    public long connectionsReclaimed()
    {
        return connectionsReclaimed;
    }

    public Interface iface()
    {
        return iface;
    }

    public TcpStackConfig config()
    {
        return config;
    }
}
