package io.dominoes.net.monitor;

import io.dominoes.core.VerdictHandler;
import io.dominoes.net.wire.EthernetFrame;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import io.dominoes.net.wire.WireError;
import org.agrona.DirectBuffer;

/**
 * The partitioned half of the replicated monitor (DESIGN.md 4): the TCP checksum of one captured frame, computed
 * by the frame's owner replica on its look-ahead cursor. It walks the frame exactly as {@link TcpMonitor} does
 * (Ethernet with VLAN tags, IPv4 parse accepting a bad header checksum, which COUNT mode lets through) and
 * answers {@link TcpMonitor#TCP_CHECKSUM_GOOD}/{@code BAD} only where the monitor would reach its own TCP
 * checksum test on this very packet; everywhere else (not IPv4/TCP, malformed, a fragment) it answers
 * {@link TcpMonitor#TCP_CHECKSUM_UNKNOWN} and the replicated monitor decides as it always does.
 * <p>
 * Event body: {@link ReplicatedMonitorTarget#TIMESTAMP_LENGTH} bytes of capture time, then the frame. A pure
 * function of the bytes: the flyweights are per-thread scratch (each look-ahead thread has its own), never
 * replicated state.
 */
final class FrameChecksumVerdict implements VerdictHandler
{
    private static final ThreadLocal<Flyweights> SCRATCH = ThreadLocal.withInitial(Flyweights::new);

    private final boolean enabled;

    /**
     * @param enabled false for the calibration run (and checksum mode OFF): no checksum work, always unknown.
     */
    FrameChecksumVerdict(final boolean enabled)
    {
        this.enabled = enabled;
    }

    /**
     * {@inheritDoc}
     */
    public int verify(final int type, final long key, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!enabled || length < ReplicatedMonitorTarget.TIMESTAMP_LENGTH)
        {
            return TcpMonitor.TCP_CHECKSUM_UNKNOWN;
        }
        return verdict(SCRATCH.get(), buffer, offset + ReplicatedMonitorTarget.TIMESTAMP_LENGTH,
            length - ReplicatedMonitorTarget.TIMESTAMP_LENGTH);
    }

    static int verdict(final Flyweights f, final DirectBuffer buffer, final int offset, final int length)
    {
        if (f.ethernet.wrap(buffer, offset, length).parse() != WireError.OK ||
            f.ethernet.etherType() != EthernetFrame.ETHER_TYPE_IPV4)
        {
            return TcpMonitor.TCP_CHECKSUM_UNKNOWN;
        }
        final int ipResult = f.ipv4.wrap(buffer, f.ethernet.payloadOffset(), f.ethernet.payloadLength()).parse();
        if ((ipResult != WireError.OK && ipResult != WireError.BAD_CHECKSUM) || f.ipv4.isFragment() ||
            f.ipv4.protocol() != Ipv4Packet.PROTOCOL_TCP)
        {
            return TcpMonitor.TCP_CHECKSUM_UNKNOWN;
        }
        f.tcp.wrap(f.ipv4.buffer(), f.ipv4.payloadOffset(), f.ipv4.payloadLength());
        if (f.tcp.checkLength() != TcpSegment.OK)
        {
            return TcpMonitor.TCP_CHECKSUM_UNKNOWN;
        }
        return f.tcp.verifyChecksum(f.ipv4.sourceAddress(), f.ipv4.destinationAddress()) ?
            TcpMonitor.TCP_CHECKSUM_GOOD : TcpMonitor.TCP_CHECKSUM_BAD;
    }

    static final class Flyweights
    {
        final EthernetFrame ethernet = new EthernetFrame();
        final Ipv4Packet ipv4 = new Ipv4Packet();
        final TcpSegment tcp = new TcpSegment();
    }
}
