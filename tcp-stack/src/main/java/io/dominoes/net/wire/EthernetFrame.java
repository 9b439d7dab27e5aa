package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an Ethernet II frame (no preamble, no FCS: what TAP devices and pcap files hold),
 * with up to {@link #MAX_VLAN_TAGS} IEEE 802.1Q / 802.1ad VLAN tags skipped.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Destination MAC (6 octets)                   |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                     Source MAC (6 octets)                     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   EtherType or TPID 0x8100    |  [PCP|D|  VLAN id] if tagged  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  inner EtherType if tagged    |  payload ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Use: {@code wrap}, then {@code checkLength()} (or {@code parse()}); only when that returned
 * {@link WireError#OK} are the accessors meaningful. Reusable: re-wrap per frame.
 */
public final class EthernetFrame
{
    /**
     * Untagged header length: two addresses and an EtherType.
     */
    public static final int HEADER_LENGTH = 14;

    /**
     * Length of one 802.1Q tag (TPID + TCI).
     */
    public static final int VLAN_TAG_LENGTH = 4;

    /**
     * Tags beyond this many (QinQ is two) are not skipped; the frame is {@link WireError#UNSUPPORTED}.
     */
    public static final int MAX_VLAN_TAGS = 2;

    /**
     * IEEE 802.3 clause 3.2.6: values below this in the type field are lengths (802.3/LLC frames).
     */
    public static final int MIN_ETHER_TYPE = 0x0600;

    public static final int ETHER_TYPE_IPV4 = 0x0800;
    public static final int ETHER_TYPE_ARP = 0x0806;
    public static final int ETHER_TYPE_VLAN = 0x8100;
    public static final int ETHER_TYPE_QINQ = 0x88A8;
    public static final int ETHER_TYPE_IPV6 = 0x86DD;

    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int headerLength;
    private int etherType;
    private int vlanTagCount;
    private int outerVlanId;

    /**
     * @param buffer holding the frame.
     * @param offset of the destination MAC.
     * @param length of the frame in bytes.
     * @return this.
     */
    public EthernetFrame wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.headerLength = 0;
        this.etherType = -1;
        this.vlanTagCount = 0;
        this.outerVlanId = -1;
        return this;
    }

    /**
     * Structural check: the header and every VLAN tag fit in the wrapped length. Also locates the
     * payload, so call it (or {@link #parse()}) before the accessors.
     *
     * @return {@link WireError#OK} or {@link WireError#TRUNCATED}, or {@link WireError#UNSUPPORTED}
     * for more than {@link #MAX_VLAN_TAGS} tags.
     */
    public int checkLength()
    {
        if (length < HEADER_LENGTH)
        {
            return WireError.TRUNCATED;
        }
        int typeOffset = ETHER_TYPE_OFFSET;
        int type = buffer.getShort(offset + typeOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        int tags = 0;
        while (type == ETHER_TYPE_VLAN || type == ETHER_TYPE_QINQ)
        {
            if (tags == MAX_VLAN_TAGS)
            {
                return WireError.UNSUPPORTED;
            }
            if (length < typeOffset + VLAN_TAG_LENGTH + 2)
            {
                return WireError.TRUNCATED;
            }
            if (tags == 0)
            {
                outerVlanId = buffer.getShort(offset + typeOffset + 2, ByteOrder.BIG_ENDIAN) & 0x0FFF;
            }
            tags++;
            typeOffset += VLAN_TAG_LENGTH;
            type = buffer.getShort(offset + typeOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        vlanTagCount = tags;
        etherType = type;
        headerLength = typeOffset + 2;
        return WireError.OK;
    }

    /**
     * {@link #checkLength()}, then reject 802.3 length-field frames (Ethernet II only).
     *
     * @return {@link WireError#OK} or a negative {@link WireError} code.
     */
    public int parse()
    {
        final int result = checkLength();
        if (result != WireError.OK)
        {
            return result;
        }
        return etherType < MIN_ETHER_TYPE ? WireError.UNSUPPORTED : WireError.OK;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    public long destination()
    {
        return MacAddress.get(buffer, offset + DESTINATION_OFFSET);
    }

    public long source()
    {
        return MacAddress.get(buffer, offset + SOURCE_OFFSET);
    }

    /**
     * @return the EtherType after any VLAN tags.
     */
    public int etherType()
    {
        return etherType;
    }

    public int vlanTagCount()
    {
        return vlanTagCount;
    }

    /**
     * @return VLAN id of the outermost tag, or -1 when untagged.
     */
    public int outerVlanId()
    {
        return outerVlanId;
    }

    /**
     * @return header length including VLAN tags.
     */
    public int headerLength()
    {
        return headerLength;
    }

    /**
     * @return buffer offset of the first payload byte.
     */
    public int payloadOffset()
    {
        return offset + headerLength;
    }

    /**
     * @return bytes after the header (may include Ethernet padding after the L3 packet).
     */
    public int payloadLength()
    {
        return length - headerLength;
    }

    /**
     * Write an untagged Ethernet II header.
     *
     * @param buffer      to write.
     * @param offset      of the destination MAC.
     * @param destination MAC address.
     * @param source      MAC address.
     * @param etherType   of the payload.
     * @return {@link #HEADER_LENGTH}, the offset of the payload from {@code offset}.
     */
    public static int emit(
        final MutableDirectBuffer buffer,
        final int offset,
        final long destination,
        final long source,
        final int etherType)
    {
        MacAddress.put(buffer, offset + DESTINATION_OFFSET, destination);
        MacAddress.put(buffer, offset + SOURCE_OFFSET, source);
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return HEADER_LENGTH;
    }
}
