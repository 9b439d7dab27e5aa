package io.dominoes.net.misd;

import io.dominoes.net.wire.Checksums;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The partitioned half of segment processing: structural checks and both checksums of one IPv4/TCP packet,
 * computed by the segment's owner only, ahead of the replicated cursor (DESIGN.md 4). Stateless and allocation
 * free, so one instance serves every replica's look-ahead thread at once.
 * <p>
 * A packet that fails is never given to the socket on any replica: never acknowledged, never delivered.
 */
public final class SegmentVerdict
{
    /**
     * Both checksums good, lengths consistent.
     */
    public static final int OK = 0;

    /**
     * Shorter than an IPv4 header, not version 4, or header/total length inconsistent with the bytes.
     */
    public static final int BAD_IP = 1;

    /**
     * RFC 791 header checksum wrong.
     */
    public static final int BAD_IP_CHECKSUM = 2;

    /**
     * Not TCP, or a fragment.
     */
    public static final int NOT_TCP = 3;

    /**
     * Shorter than a TCP header.
     */
    public static final int BAD_TCP = 4;

    /**
     * RFC 9293 3.1 checksum over pseudo-header, header and payload wrong.
     */
    public static final int BAD_TCP_CHECKSUM = 5;

    private SegmentVerdict()
    {
    }

    /**
     * @param buffer holding the packet.
     * @param offset of the version/IHL byte.
     * @param length bytes available.
     * @return {@link #OK} or the first failed check.
     */
    public static int verify(final DirectBuffer buffer, final int offset, final int length)
    {
        final int headerLength = checkIp(buffer, offset, length);
        if (headerLength < 0)
        {
            return -headerLength;
        }
        if (Checksums.onesComplementSum(buffer, offset, headerLength, 0) != 0xFFFF)
        {
            return BAD_IP_CHECKSUM;
        }
        final int tcpLength = totalLength(buffer, offset) - headerLength;
        final int pseudo = Checksums.pseudoHeaderSumIpv4(
            sourceAddress(buffer, offset), destinationAddress(buffer, offset), TcpSegment.PROTOCOL_NUMBER, tcpLength);
        if (0 != Checksums.finish(Checksums.onesComplementSum(buffer, offset + headerLength, tcpLength, pseudo)))
        {
            return BAD_TCP_CHECKSUM;
        }
        return OK;
    }

    /**
     * As {@link #verify} for a packet whose TCP checksum is partial (virtio_net_hdr
     * VIRTIO_NET_HDR_F_NEEDS_CSUM from the local kernel over a TAP: the field holds only the pseudo-header
     * sum): the structure and the IPv4 header checksum are checked, the TCP checksum is taken as verified.
     *
     * @return {@link #OK} or the first failed check.
     */
    public static int verifyPartialChecksum(final DirectBuffer buffer, final int offset, final int length)
    {
        final int headerLength = checkIp(buffer, offset, length);
        if (headerLength < 0)
        {
            return -headerLength;
        }
        if (Checksums.onesComplementSum(buffer, offset, headerLength, 0) != 0xFFFF)
        {
            return BAD_IP_CHECKSUM;
        }
        return OK;
    }

    /**
     * The structural part of {@link #verify}, no checksums: what the replicated code re-checks cheaply so that
     * its accessors are safe whatever the verdict table says.
     *
     * @return the IPv4 header length, or the negated error code.
     */
    public static int checkIp(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < Ipv4Packet.MIN_HEADER_LENGTH)
        {
            return -BAD_IP;
        }
        final int versionIhl = buffer.getByte(offset) & 0xFF;
        final int headerLength = (versionIhl & 0xF) * 4;
        if ((versionIhl >>> 4) != Ipv4Packet.VERSION || headerLength < Ipv4Packet.MIN_HEADER_LENGTH)
        {
            return -BAD_IP;
        }
        final int total = totalLength(buffer, offset);
        if (total < headerLength || total > length)
        {
            return -BAD_IP;
        }
        if ((buffer.getByte(offset + Ipv4Packet.PROTOCOL_OFFSET) & 0xFF) != Ipv4Packet.PROTOCOL_TCP ||
            0 != (buffer.getShort(offset + Ipv4Packet.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) &
            (Ipv4Packet.FLAG_MORE_FRAGMENTS | Ipv4Packet.FRAGMENT_OFFSET_MASK)))
        {
            return -NOT_TCP;
        }
        if (total - headerLength < TcpSegment.MIN_HEADER_LENGTH)
        {
            return -BAD_TCP;
        }
        return headerLength;
    }

    public static int totalLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + Ipv4Packet.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public static int sourceAddress(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + Ipv4Packet.SOURCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static int destinationAddress(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + Ipv4Packet.DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
