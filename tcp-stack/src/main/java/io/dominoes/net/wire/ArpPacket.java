package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an ARP packet (RFC 826). {@link #checkLength()} accepts any hardware/protocol
 * address lengths; {@link #parse()} accepts only Ethernet/IPv4, the one kind this stack resolves.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      Hardware type (1)        |     Protocol type (0x0800)    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  HLEN (6)     |   PLEN (4)    |  Operation (1 req, 2 reply)   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Sender hardware address (6) ... | Sender protocol address (4) |
 *  |  Target hardware address (6) ... | Target protocol address (4) |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpPacket
{
    /**
     * Fixed part: htype, ptype, hlen, plen, oper.
     */
    public static final int FIXED_LENGTH = 8;

    /**
     * Length of an Ethernet/IPv4 ARP packet.
     */
    public static final int ETHERNET_IPV4_LENGTH = FIXED_LENGTH + 2 * (MacAddress.LENGTH + Ipv4Address.LENGTH);

    /**
     * RFC 826 / IANA ARP parameters: ar$hrd for Ethernet (10Mb).
     */
    public static final int HARDWARE_TYPE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_HARDWARE_OFFSET = 8;
    public static final int SENDER_PROTOCOL_OFFSET = 14;
    public static final int TARGET_HARDWARE_OFFSET = 18;
    public static final int TARGET_PROTOCOL_OFFSET = 24;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * @param buffer holding the packet.
     * @param offset of the hardware type.
     * @param length available (Ethernet payload length; padding after 28 bytes is ignored).
     * @return this.
     */
    public ArpPacket wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * @return {@link WireError#OK} if the fixed part and the four addresses its lengths announce fit.
     */
    public int checkLength()
    {
        if (length < FIXED_LENGTH)
        {
            return WireError.TRUNCATED;
        }
        final int needed = FIXED_LENGTH + 2 * (hardwareLength() + protocolLength());
        return length < needed ? WireError.TRUNCATED : WireError.OK;
    }

    /**
     * @return {@link WireError#OK} for an Ethernet/IPv4 request or reply, else a negative code:
     * TRUNCATED, UNSUPPORTED (other hardware/protocol), MALFORMED (other operation, or Ethernet/IPv4
     * types with the wrong address lengths).
     */
    public int parse()
    {
        final int result = checkLength();
        if (result != WireError.OK)
        {
            return result;
        }
        if (hardwareType() != HARDWARE_TYPE_ETHERNET || protocolType() != EthernetFrame.ETHER_TYPE_IPV4)
        {
            return WireError.UNSUPPORTED;
        }
        if (hardwareLength() != MacAddress.LENGTH || protocolLength() != Ipv4Address.LENGTH)
        {
            return WireError.MALFORMED;
        }
        final int operation = operation();
        return operation == OPERATION_REQUEST || operation == OPERATION_REPLY ? WireError.OK : WireError.MALFORMED;
    }

    public int hardwareType()
    {
        return buffer.getShort(offset + HARDWARE_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int protocolType()
    {
        return buffer.getShort(offset + PROTOCOL_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int hardwareLength()
    {
        return buffer.getByte(offset + HARDWARE_LENGTH_OFFSET) & 0xFF;
    }

    public int protocolLength()
    {
        return buffer.getByte(offset + PROTOCOL_LENGTH_OFFSET) & 0xFF;
    }

    public int operation()
    {
        return buffer.getShort(offset + OPERATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Valid after {@link #parse()} returned OK (Ethernet/IPv4 layout).
     */
    public long senderHardwareAddress()
    {
        return MacAddress.get(buffer, offset + SENDER_HARDWARE_OFFSET);
    }

    public int senderProtocolAddress()
    {
        return Ipv4Address.get(buffer, offset + SENDER_PROTOCOL_OFFSET);
    }

    public long targetHardwareAddress()
    {
        return MacAddress.get(buffer, offset + TARGET_HARDWARE_OFFSET);
    }

    public int targetProtocolAddress()
    {
        return Ipv4Address.get(buffer, offset + TARGET_PROTOCOL_OFFSET);
    }

    /**
     * Write an Ethernet/IPv4 ARP packet.
     *
     * @return {@link #ETHERNET_IPV4_LENGTH}.
     */
    public static int emit(
        final MutableDirectBuffer buffer,
        final int offset,
        final int operation,
        final long senderHardware,
        final int senderProtocol,
        final long targetHardware,
        final int targetProtocol)
    {
        buffer.putShort(offset + HARDWARE_TYPE_OFFSET, (short)HARDWARE_TYPE_ETHERNET, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + PROTOCOL_TYPE_OFFSET, (short)EthernetFrame.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + HARDWARE_LENGTH_OFFSET, (byte)MacAddress.LENGTH);
        buffer.putByte(offset + PROTOCOL_LENGTH_OFFSET, (byte)Ipv4Address.LENGTH);
        buffer.putShort(offset + OPERATION_OFFSET, (short)operation, ByteOrder.BIG_ENDIAN);
        MacAddress.put(buffer, offset + SENDER_HARDWARE_OFFSET, senderHardware);
        Ipv4Address.put(buffer, offset + SENDER_PROTOCOL_OFFSET, senderProtocol);
        MacAddress.put(buffer, offset + TARGET_HARDWARE_OFFSET, targetHardware);
        Ipv4Address.put(buffer, offset + TARGET_PROTOCOL_OFFSET, targetProtocol);
        return ETHERNET_IPV4_LENGTH;
    }
}
