package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * An IPv4 address held in an {@code int}, first octet most significant (a.b.c.d is
 * {@code a << 24 | b << 16 | c << 8 | d}), the order it has on the wire.
 */
public final class Ipv4Address
{
    /**
     * Length of an IPv4 address on the wire.
     */
    public static final int LENGTH = 4;

    /**
     * 0.0.0.0.
     */
    public static final int ANY = 0;

    /**
     * 255.255.255.255, the limited broadcast address.
     */
    public static final int BROADCAST = 0xFFFF_FFFF;

    private Ipv4Address()
    {
    }

    /**
     * @param buffer to read.
     * @param offset of the first octet.
     * @return the address.
     */
    public static int get(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer  to write.
     * @param offset  of the first octet.
     * @param address to write.
     */
    public static void put(final MutableDirectBuffer buffer, final int offset, final int address)
    {
        buffer.putInt(offset, address, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param prefixLength 0 to 32.
     * @return the netmask, e.g. 0xFFFFFF00 for 24.
     */
    public static int netmask(final int prefixLength)
    {
        if (prefixLength < 0 || prefixLength > 32)
        {
            throw new IllegalArgumentException("prefixLength=" + prefixLength + " outside 0..32");
        }
        return 0 == prefixLength ? 0 : -1 << (32 - prefixLength);
    }

    /**
     * @param address      to test.
     * @param network      any address of the subnet.
     * @param prefixLength of the subnet.
     * @return true if address lies in network/prefixLength.
     */
    public static boolean inSubnet(final int address, final int network, final int prefixLength)
    {
        final int mask = netmask(prefixLength);
        return (address & mask) == (network & mask);
    }

    /**
     * @param address to test.
     * @return true for 224.0.0.0/4.
     */
    public static boolean isMulticast(final int address)
    {
        return (address >>> 28) == 0xE;
    }

    /**
     * @param text dotted quad "a.b.c.d".
     * @return the address.
     * @throws IllegalArgumentException if text is not a dotted quad (configuration, not network input).
     */
    public static int parse(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != LENGTH)
        {
            throw new IllegalArgumentException("IPv4 address must have 4 octets: " + text);
        }
        int value = 0;
        for (final String part : parts)
        {
            final int octet;
            try
            {
                octet = Integer.parseInt(part);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("IPv4 address octet not a number: " + text, ex);
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || part.charAt(0) == '+')
            {
                throw new IllegalArgumentException("IPv4 address octet outside 0..255: " + text);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /**
     * @param address an address.
     * @return dotted quad.
     */
    public static String toString(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }
}
