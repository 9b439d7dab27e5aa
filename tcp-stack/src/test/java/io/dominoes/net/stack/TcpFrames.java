package io.dominoes.net.stack;

import io.dominoes.net.wire.EthernetFrame;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpOptionValues;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;

/**
 * Builds whole Ethernet/IPv4/TCP frames with correct checksums for tests that inject traffic.
 */
final class TcpFrames
{
    private static final TcpOptionValues NO_OPTIONS = new TcpOptionValues();
    private final TcpSegment segment = new TcpSegment();

    /**
     * @return the frame length written at offset 0.
     */
    int tcp(
        final MutableDirectBuffer buffer,
        final long dstMac,
        final long srcMac,
        final int srcAddr,
        final int srcPort,
        final int dstAddr,
        final int dstPort,
        final int seq,
        final int ack,
        final int flags,
        final int payloadLength)
    {
        final int tcpLength = TcpSegment.MIN_HEADER_LENGTH + payloadLength;
        EthernetFrame.emit(buffer, 0, dstMac, srcMac, EthernetFrame.ETHER_TYPE_IPV4);
        Ipv4Packet.emit(buffer, EthernetFrame.HEADER_LENGTH, tcpLength, 1, Ipv4Packet.FLAG_DONT_FRAGMENT, 64,
            Ipv4Packet.PROTOCOL_TCP, srcAddr, dstAddr);
        final int tcpOffset = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;
        segment.wrap(buffer, tcpOffset, tcpLength);
        segment.emitHeader(srcPort, dstPort, seq, ack, flags, 65535, NO_OPTIONS);
        for (int i = 0; i < payloadLength; i++)
        {
            buffer.putByte(tcpOffset + TcpSegment.MIN_HEADER_LENGTH + i, (byte)i);
        }
        segment.fillChecksum(srcAddr, dstAddr);
        return tcpOffset + tcpLength;
    }

    /**
     * Recompute the IPv4 header and TCP checksums of a frame edited in place (no 802.1Q tag, IHL 5..15).
     * Does nothing if the frame is too short or not IPv4/TCP.
     */
    void fixChecksums(final MutableDirectBuffer buffer, final int length)
    {
        final int ip = EthernetFrame.HEADER_LENGTH;
        if (length < ip + Ipv4Packet.MIN_HEADER_LENGTH ||
            (buffer.getShort(12, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF) != EthernetFrame.ETHER_TYPE_IPV4)
        {
            return;
        }
        final int ihl = (buffer.getByte(ip) & 0x0F) * 4;
        final int total = buffer.getShort(ip + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (ihl < Ipv4Packet.MIN_HEADER_LENGTH || ip + ihl > length)
        {
            return;
        }
        Ipv4Packet.fillChecksum(buffer, ip, ihl);
        final int tcpLength = Math.min(total, length - ip) - ihl;
        if ((buffer.getByte(ip + 9) & 0xFF) == Ipv4Packet.PROTOCOL_TCP && tcpLength >= TcpSegment.MIN_HEADER_LENGTH)
        {
            segment.wrap(buffer, ip + ihl, tcpLength);
            segment.fillChecksum(buffer.getInt(ip + 12, java.nio.ByteOrder.BIG_ENDIAN),
                buffer.getInt(ip + 16, java.nio.ByteOrder.BIG_ENDIAN));
        }
    }
}
