package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an IPv4 packet (RFC 791 section 3.1).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options                    |    Padding    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * {@link #checkLength()} makes every accessor safe; {@link #parse()} adds version, options and
 * header checksum. The packet ends at Total Length: bytes after it (Ethernet padding) are not payload.
 */
public final class Ipv4Packet
{
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int VERSION = 4;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    /**
     * RFC 791: "Bit 1: (DF) 0 = May Fragment, 1 = Don't Fragment." as a mask on the flags/offset word.
     */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;

    /**
     * RFC 791: "Bit 2: (MF) 0 = Last Fragment, 1 = More Fragments."
     */
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;

    /**
     * RFC 791: "Bit 0: reserved, must be zero".
     */
    public static final int FLAG_RESERVED = 0x8000;

    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;

    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * @param buffer holding the packet.
     * @param offset of the version/IHL byte.
     * @param length available bytes (e.g. the Ethernet payload length, which may include padding).
     * @return this.
     */
    public Ipv4Packet wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Structural check that makes every accessor safe.
     *
     * @return {@link WireError#OK}; TRUNCATED if fewer bytes than 20, IHL or Total Length say;
     * BAD_HEADER_LENGTH if IHL &lt; 5; BAD_TOTAL_LENGTH if Total Length &lt; IHL * 4.
     */
    public int checkLength()
    {
        if (length < MIN_HEADER_LENGTH)
        {
            return WireError.TRUNCATED;
        }
        final int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH)
        {
            return WireError.BAD_HEADER_LENGTH;
        }
        if (length < headerLength)
        {
            return WireError.TRUNCATED;
        }
        final int totalLength = totalLength();
        if (totalLength < headerLength)
        {
            return WireError.BAD_TOTAL_LENGTH;
        }
        return length < totalLength ? WireError.TRUNCATED : WireError.OK;
    }

    /**
     * Version, lengths, reserved flag, options and header checksum.
     *
     * @return {@link WireError#OK} or a negative code.
     */
    public int parse()
    {
        if (length < MIN_HEADER_LENGTH)
        {
            return WireError.TRUNCATED;
        }
        if (version() != VERSION)
        {
            return WireError.BAD_VERSION;
        }
        final int result = checkLength();
        if (result != WireError.OK)
        {
            return result;
        }
        if ((flagsAndFragmentOffset() & FLAG_RESERVED) != 0)
        {
            return WireError.MALFORMED;
        }
        if (!optionsWellFormed())
        {
            return WireError.MALFORMED;
        }
        return isChecksumValid() ? WireError.OK : WireError.BAD_CHECKSUM;
    }

    /**
     * RFC 791 "Options": "Case 1: A single octet of option-type. Case 2: An option-type octet, an
     * option-length octet, and the actual option-data octets. The option-length octet counts the
     * option-type octet and the option-length octet as well as the option-data octets."
     *
     * @return true if every option's length stays inside the header.
     */
    private boolean optionsWellFormed()
    {
        int i = offset + MIN_HEADER_LENGTH;
        final int end = offset + headerLength();
        while (i < end)
        {
            final int type = buffer.getByte(i) & 0xFF;
            if (type == OPTION_END)
            {
                return true;
            }
            if (type == OPTION_NOP)
            {
                i++;
                continue;
            }
            if (i + 1 >= end)
            {
                return false;
            }
            final int optionLength = buffer.getByte(i + 1) & 0xFF;
            if (optionLength < 2 || i + optionLength > end)
            {
                return false;
            }
            i += optionLength;
        }
        return true;
    }

    /**
     * @return true if the one's-complement sum over the header, checksum included, is 0xFFFF.
     */
    public boolean isChecksumValid()
    {
        return Checksums.onesComplementSum(buffer, offset, headerLength(), 0) == 0xFFFF;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int version()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) >>> 4) & 0xF;
    }

    /**
     * @return IHL * 4, in bytes.
     */
    public int headerLength()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xF) * 4;
    }

    public int optionsLength()
    {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    public int typeOfService()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    public int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int identification()
    {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @return the 16-bit word holding the 3 flag bits and the 13-bit fragment offset.
     */
    public int flagsAndFragmentOffset()
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /**
     * @return fragment offset in bytes (the field counts 8-byte units).
     */
    public int fragmentOffset()
    {
        return (flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK) * 8;
    }

    /**
     * @return true if this is one fragment of a larger datagram (MF set or offset non-zero).
     */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int timeToLive()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int sourceAddress()
    {
        return Ipv4Address.get(buffer, offset + SOURCE_OFFSET);
    }

    public int destinationAddress()
    {
        return Ipv4Address.get(buffer, offset + DESTINATION_OFFSET);
    }

    public int payloadOffset()
    {
        return offset + headerLength();
    }

    /**
     * @return Total Length minus header length (Ethernet padding excluded).
     */
    public int payloadLength()
    {
        return totalLength() - headerLength();
    }

    /**
     * Write a 20-byte header without options, checksum filled in.
     *
     * @param buffer                 to write.
     * @param offset                 of the version/IHL byte.
     * @param payloadLength          bytes that follow the header.
     * @param identification         16-bit id.
     * @param flagsAndFragmentOffset e.g. {@link #FLAG_DONT_FRAGMENT}.
     * @param timeToLive             hop limit.
     * @param protocol               payload protocol.
     * @param sourceAddress          source.
     * @param destinationAddress     destination.
     * @return {@link #MIN_HEADER_LENGTH}.
     */
    public static int emit(
        final MutableDirectBuffer buffer,
        final int offset,
        final int payloadLength,
        final int identification,
        final int flagsAndFragmentOffset,
        final int timeToLive,
        final int protocol,
        final int sourceAddress,
        final int destinationAddress)
    {
        if (payloadLength < 0 || payloadLength > 0xFFFF - MIN_HEADER_LENGTH)
        {
            throw new IllegalArgumentException(
                "payloadLength=" + payloadLength + " outside 0.." + (0xFFFF - MIN_HEADER_LENGTH));
        }
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte)((VERSION << 4) | (MIN_HEADER_LENGTH / 4)));
        buffer.putByte(offset + TOS_OFFSET, (byte)0);
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)(MIN_HEADER_LENGTH + payloadLength), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short)identification, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short)flagsAndFragmentOffset, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + TTL_OFFSET, (byte)timeToLive);
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0);
        Ipv4Address.put(buffer, offset + SOURCE_OFFSET, sourceAddress);
        Ipv4Address.put(buffer, offset + DESTINATION_OFFSET, destinationAddress);
        fillChecksum(buffer, offset, MIN_HEADER_LENGTH);
        return MIN_HEADER_LENGTH;
    }

    /**
     * Recompute and store the header checksum (after editing a header in place).
     *
     * @param buffer       holding the header.
     * @param offset       of the version/IHL byte.
     * @param headerLength IHL * 4.
     */
    public static void fillChecksum(final MutableDirectBuffer buffer, final int offset, final int headerLength)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0);
        final int checksum = Checksums.finish(Checksums.onesComplementSum(buffer, offset, headerLength, 0));
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }
}
