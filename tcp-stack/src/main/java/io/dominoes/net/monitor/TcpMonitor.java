package io.dominoes.net.monitor;

import io.dominoes.net.tcp.Assembler;
import io.dominoes.net.tcp.ByteRing;
import io.dominoes.net.wire.EthernetFrame;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import io.dominoes.net.wire.WireError;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A passive TCP monitor: fed whole Ethernet frames (802.1Q/QinQ tags skipped), it follows every IPv4 TCP
 * connection in a bounded table and hands each direction's reassembled bytes to a {@link StreamSink}. It never
 * sends anything and does not check ACK numbers against any send state (like Zeek, Suricata or tshark's
 * "follow"): see {@link HalfStream} for the reassembly policies and {@link TcpConnection} for roles.
 * <p>
 * Why not drive {@link io.dominoes.net.tcp.TcpSocket} passively: its acceptance test is its own advertised
 * window, it applies PAWS and ACK validation against its send sequence space, needs a handshake to reach
 * ESTABLISHED, and its out-of-order write lets the last copy win; a monitor needs none of the first and the
 * opposite of the last. What it shares with the socket is the machinery underneath: {@link Assembler},
 * {@link ByteRing}, the sequence arithmetic and the wire flyweights.
 * <p>
 * Single-threaded. No exception escapes {@link #onFrame} for any bytes; every frame or byte not reassembled is
 * counted in {@link #drops(int)} by {@link MonitorDrop} reason. Nothing is allocated per frame once every
 * connection slot in use has had its rings allocated. Time is an input ({@code nowNs}, e.g. the capture's
 * timestamps), used only for fragment and idle timeouts.
 */
public final class TcpMonitor implements ReplayTarget
{
    /** {@link #onFrame} result: a TCP segment was handed to its connection. */
    public static final int SEGMENT = 0;
    /** {@link #onFrame} result: an IPv4 fragment held until its datagram completes. */
    public static final int FRAGMENT_HELD = 1;

    /** TCP checksum verdict from the caller: not computed, the monitor checks it itself (per its mode). */
    public static final int TCP_CHECKSUM_UNKNOWN = -1;
    /** TCP checksum verdict from the caller: computed over this unfragmented packet and wrong. */
    public static final int TCP_CHECKSUM_BAD = 0;
    /** TCP checksum verdict from the caller: computed over this unfragmented packet and right. */
    public static final int TCP_CHECKSUM_GOOD = 1;

    private final MonitorConfig config;
    private final StreamSink sink;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final Ipv4Defragmenter defragmenter;
    private final ConnectionTable table;
    private final TcpConnection[] connections;
    private final boolean[] inUse;
    private final int[] freeSlots;
    private int freeCount;
    private final ByteRing[] rings;
    private final Assembler[] assemblers;
    private final UnsafeBuffer scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private final long[] drops = new long[MonitorDrop.COUNT];

    private long frames;
    private long tcpSegments;
    private long ipv4BadChecksums;
    private long tcpBadChecksums;
    private long connectionsOpened;
    private long connectionsEvicted;
    private long nextConnectionId;

    /**
     * @param config limits and policies (read once here).
     * @param sink   receives the reassembled streams.
     */
    public TcpMonitor(final MonitorConfig config, final StreamSink sink)
    {
        if (null == config || null == sink)
        {
            throw new IllegalArgumentException("config=" + config + " sink=" + sink + ": neither may be null");
        }
        this.config = config;
        this.sink = sink;
        final int max = config.maxConnections();
        defragmenter = new Ipv4Defragmenter(config.fragmentSlots(), config.maxHoles(), config.fragmentTimeoutNs());
        table = new ConnectionTable(max);
        connections = new TcpConnection[max];
        inUse = new boolean[max];
        freeSlots = new int[max];
        rings = new ByteRing[2 * max];
        assemblers = new Assembler[2 * max];
        for (int i = 0; i < max; i++)
        {
            connections[i] = new TcpConnection(i, drops);
            freeSlots[i] = max - 1 - i;
        }
        freeCount = max;
    }

    /**
     * Process one captured frame.
     *
     * @param nowNs the frame's time (capture timestamp), non-decreasing.
     * @return {@link #SEGMENT}, {@link #FRAGMENT_HELD}, or {@code -(reason + 1)} for the {@link MonitorDrop}
     * reason it was dropped for.
     */
    public int onFrame(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        return onFrame(buffer, offset, length, nowNs, TCP_CHECKSUM_UNKNOWN);
    }

    /**
     * Process one captured frame whose TCP checksum someone else may already have computed (the replicated
     * monitor's look-ahead verdict, {@link FrameChecksumVerdict}): a known verdict replaces the monitor's own
     * computation for an unfragmented packet, with the same counting and dropping per {@link ChecksumMode}. For a
     * fragment the verdict is ignored (the checksum covers the reassembled datagram, computed here).
     *
     * @param tcpChecksumVerdict {@link #TCP_CHECKSUM_UNKNOWN}, {@link #TCP_CHECKSUM_BAD} or
     *                           {@link #TCP_CHECKSUM_GOOD}.
     * @return as {@link #onFrame(DirectBuffer, int, int, long)}.
     */
    public int onFrame(
        final DirectBuffer buffer, final int offset, final int length, final long nowNs, final int tcpChecksumVerdict)
    {
        frames++;
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            return drop(MonitorDrop.ETHERNET_MALFORMED);
        }
        final int ethResult = ethernet.wrap(buffer, offset, length).parse();
        if (ethResult != WireError.OK)
        {
            return drop(MonitorDrop.ETHERNET_MALFORMED);
        }
        if (ethernet.etherType() != EthernetFrame.ETHER_TYPE_IPV4)
        {
            return drop(MonitorDrop.NOT_IPV4);
        }
        return onIpv4(buffer, ethernet.payloadOffset(), ethernet.payloadLength(), nowNs, tcpChecksumVerdict);
    }

    /**
     * Process one IPv4 packet (for callers without link-layer framing).
     *
     * @return as {@link #onFrame}.
     */
    public int onIpv4(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        return onIpv4(buffer, offset, length, nowNs, TCP_CHECKSUM_UNKNOWN);
    }

    private int onIpv4(
        final DirectBuffer buffer, final int offset, final int length, final long nowNs, final int tcpChecksumVerdict)
    {
        int verdict = tcpChecksumVerdict;
        final int ipResult = ipv4.wrap(buffer, offset, length).parse();
        if (ipResult == WireError.BAD_CHECKSUM)
        {
            final ChecksumMode mode = config.checksumMode();
            if (mode != ChecksumMode.OFF)
            {
                ipv4BadChecksums++;
                if (mode == ChecksumMode.VERIFY)
                {
                    return drop(MonitorDrop.IPV4_BAD_CHECKSUM);
                }
            }
        }
        else if (ipResult != WireError.OK)
        {
            return drop(MonitorDrop.IPV4_MALFORMED);
        }
        if (ipv4.isFragment())
        {
            verdict = TCP_CHECKSUM_UNKNOWN; // the caller saw one fragment, the checksum covers the datagram
            if (!config.defragment())
            {
                return drop(MonitorDrop.FRAGMENT_NOT_REASSEMBLED);
            }
            if (ipv4.protocol() != Ipv4Packet.PROTOCOL_TCP)
            {
                return drop(MonitorDrop.NOT_TCP);
            }
            final long expiredBefore = defragmenter.expiredDatagrams();
            final int result = defragmenter.onFragment(ipv4, nowNs);
            drops[MonitorDrop.FRAGMENT_DATAGRAM_EXPIRED] += defragmenter.expiredDatagrams() - expiredBefore;
            if (result < 0)
            {
                return drop(-result - 1);
            }
            if (0 == result)
            {
                return FRAGMENT_HELD;
            }
            final UnsafeBuffer datagram = defragmenter.datagramBuffer();
            if (ipv4.wrap(datagram, 0, result).parse() != WireError.OK)
            {
                return drop(MonitorDrop.IPV4_MALFORMED);
            }
        }
        if (ipv4.protocol() != Ipv4Packet.PROTOCOL_TCP)
        {
            return drop(MonitorDrop.NOT_TCP);
        }
        // parse() checked totalLength <= captured length; the payload ends at totalLength (Ethernet padding excluded)
        tcp.wrap(ipv4.buffer(), ipv4.payloadOffset(), ipv4.payloadLength());
        if (tcp.checkLength() != TcpSegment.OK)
        {
            return drop(MonitorDrop.TCP_MALFORMED);
        }
        final int src = ipv4.sourceAddress();
        final int dst = ipv4.destinationAddress();
        if (config.checksumMode() != ChecksumMode.OFF &&
            (TCP_CHECKSUM_UNKNOWN == verdict ? !tcp.verifyChecksum(src, dst) : TCP_CHECKSUM_BAD == verdict))
        {
            tcpBadChecksums++;
            if (config.checksumMode() == ChecksumMode.VERIFY)
            {
                return drop(MonitorDrop.TCP_BAD_CHECKSUM);
            }
        }
        tcpSegments++;
        return onSegment(src, dst, nowNs);
    }

    private int onSegment(final int src, final int dst, final long nowNs)
    {
        final int srcPort = tcp.srcPort();
        final int dstPort = tcp.dstPort();
        final int flags = tcp.flags();
        final boolean syn = 0 != (flags & TcpSegment.FLAG_SYN);
        final boolean ack = 0 != (flags & TcpSegment.FLAG_ACK);
        final boolean fin = 0 != (flags & TcpSegment.FLAG_FIN);
        final boolean rst = 0 != (flags & TcpSegment.FLAG_RST);
        final long endpointSrc = ConnectionTable.endpoint(src, srcPort);
        final long endpointDst = ConnectionTable.endpoint(dst, dstPort);

        int slot = table.get(endpointSrc, endpointDst);
        if (slot >= 0 && connections[slot].closed())
        {
            if (!(syn && !ack))
            {
                return drop(MonitorDrop.AFTER_CLOSE);
            }
            // a new connection reusing the 4-tuple (RFC 9293 3.10.7.4 allows a new SYN in TIME-WAIT)
            release(slot);
            slot = -1;
        }
        final TcpConnection connection;
        if (slot < 0)
        {
            slot = allocate(nowNs);
            if (slot < 0)
            {
                return drop(MonitorDrop.CONNECTION_TABLE_FULL);
            }
            connection = connections[slot];
            final boolean clientIsSource = !(syn && ack);
            connection.open(
                nextConnectionId++,
                clientIsSource ? src : dst, clientIsSource ? srcPort : dstPort,
                clientIsSource ? dst : src, clientIsSource ? dstPort : srcPort,
                syn, nowNs);
            table.put(endpointSrc, endpointDst, slot);
            connectionsOpened++;
            sink.onOpen(connection);
        }
        else
        {
            connection = connections[slot];
            if (syn && !ack && !connection.rolesFromSyn() &&
                connection.directionOf(src, srcPort) == TcpConnection.SERVER_TO_CLIENT &&
                0 == connection.half(0).deliveredBytes() + connection.half(1).deliveredBytes() +
                connection.half(0).heldBytes() + connection.half(1).heldBytes())
            {
                connection.swapRoles();
            }
        }
        connection.touch(nowNs);
        final int direction = connection.directionOf(src, srcPort);
        final HalfStream half = connection.half(direction);
        half.onSegment(tcp.seq(), syn, fin, rst, tcp.buffer(), tcp.payloadOffset(), tcp.payloadLength(), sink);
        if (ack)
        {
            connection.half(1 - direction).onPeerAck(tcp.ack(), sink);
        }
        if (rst)
        {
            close(connection, true);
        }
        else if (half.finished() && connection.half(1 - direction).finished())
        {
            close(connection, false);
        }
        return SEGMENT;
    }

    private void close(final TcpConnection connection, final boolean byReset)
    {
        connection.half(0).finish(sink);
        connection.half(1).finish(sink);
        connection.markClosed(byReset);
        sink.onClose(connection);
    }

    private void release(final int slot)
    {
        final TcpConnection c = connections[slot];
        table.remove(
            ConnectionTable.endpoint(c.clientAddr(), c.clientPort()),
            ConnectionTable.endpoint(c.serverAddr(), c.serverPort()));
        inUse[slot] = false;
        freeSlots[freeCount++] = slot;
    }

    private int allocate(final long nowNs)
    {
        if (0 == freeCount)
        {
            evictOne(nowNs);
            if (0 == freeCount)
            {
                return -1;
            }
        }
        final int slot = freeSlots[--freeCount];
        inUse[slot] = true;
        if (null == rings[2 * slot])
        {
            // first use of this slot: the only allocation, kept for every later connection in it
            for (int d = 0; d < 2; d++)
            {
                rings[2 * slot + d] = new ByteRing(config.reassemblyBufferBytes());
                assemblers[2 * slot + d] = new Assembler(config.maxHoles());
                connections[slot].halves[d].attach(rings[2 * slot + d], assemblers[2 * slot + d], scratch);
            }
        }
        return slot;
    }

    /**
     * Table full: reuse the least recently active closed connection, else an open one idle past the idle timeout
     * (finished and reported first). O(maxConnections), only when the table is full.
     */
    private void evictOne(final long nowNs)
    {
        int victim = -1;
        boolean victimClosed = false;
        for (int i = 0; i < connections.length; i++)
        {
            final TcpConnection c = connections[i];
            if (!inUse[i])
            {
                continue;
            }
            final boolean closed = c.closed();
            if (!closed && nowNs - c.lastSeenNs() <= config.idleTimeoutNs())
            {
                continue;
            }
            if (-1 == victim || (closed && !victimClosed) ||
                (closed == victimClosed && c.lastSeenNs() < connections[victim].lastSeenNs()))
            {
                victim = i;
                victimClosed = closed;
            }
        }
        if (victim >= 0)
        {
            if (!victimClosed)
            {
                close(connections[victim], false);
            }
            connectionsEvicted++;
            release(victim);
        }
    }

    /**
     * End of input: every open connection is finished (acknowledged holes skipped, the rest counted) and
     * reported closed; incomplete IPv4 datagrams are counted as expired.
     */
    public void flush()
    {
        for (int i = 0; i < connections.length; i++)
        {
            if (inUse[i] && !connections[i].closed())
            {
                close(connections[i], false);
            }
        }
        final long expiredBefore = defragmenter.expiredDatagrams();
        defragmenter.flush();
        drops[MonitorDrop.FRAGMENT_DATAGRAM_EXPIRED] += defragmenter.expiredDatagrams() - expiredBefore;
    }

    /**
     * {@inheritDoc}
     */
    public void finish()
    {
        flush();
    }

    private int drop(final int reason)
    {
        drops[reason]++;
        return -(reason + 1);
    }

    /**
     * @return frames (or, for the byte reasons, bytes) dropped for {@code reason}.
     */
    public long drops(final int reason)
    {
        if (reason < 0 || reason >= MonitorDrop.COUNT)
        {
            throw new IllegalArgumentException("reason=" + reason + " not in [0, " + MonitorDrop.COUNT + ")");
        }
        return drops[reason];
    }

    public long frames()
    {
        return frames;
    }

    /** @return TCP segments handed to a connection lookup (after checksum policy). */
    public long tcpSegments()
    {
        return tcpSegments;
    }

    /** @return wrong IPv4 header checksums seen (in VERIFY and COUNT modes). */
    public long ipv4BadChecksums()
    {
        return ipv4BadChecksums;
    }

    /** @return wrong TCP checksums seen (in VERIFY and COUNT modes). */
    public long tcpBadChecksums()
    {
        return tcpBadChecksums;
    }

    public long connectionsOpened()
    {
        return connectionsOpened;
    }

    public long connectionsEvicted()
    {
        return connectionsEvicted;
    }

    /** @return connections currently in the table (open or closed but not yet reused). */
    public int connectionsInTable()
    {
        return table.size();
    }

    public Ipv4Defragmenter defragmenter()
    {
        return defragmenter;
    }

    public MonitorConfig config()
    {
        return config;
    }
}
