package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A 48-bit MAC address held in the low 48 bits of a {@code long}, first octet most significant,
 * so addresses are compared, hashed and stored without allocation.
 */
public final class MacAddress
{
    /**
     * Length of a MAC address on the wire.
     */
    public static final int LENGTH = 6;

    /**
     * ff:ff:ff:ff:ff:ff.
     */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    /**
     * 00:00:00:00:00:00, the unknown target hardware address of an ARP request (RFC 826).
     */
    public static final long ZERO = 0L;

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    private MacAddress()
    {
    }

    /**
     * @param buffer to read.
     * @param offset of the first octet.
     * @return the address.
     */
    public static long get(final DirectBuffer buffer, final int offset)
    {
        return ((long)(buffer.getShort(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF) << 32) |
            (buffer.getInt(offset + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    /**
     * @param buffer  to write.
     * @param offset  of the first octet.
     * @param address to write, low 48 bits.
     */
    public static void put(final MutableDirectBuffer buffer, final int offset, final long address)
    {
        buffer.putShort(offset, (short)(address >>> 32), java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 2, (int)address, java.nio.ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param address a MAC address.
     * @return true for group addresses (the I/G bit, least significant bit of the first octet), which
     * includes broadcast.
     */
    public static boolean isMulticast(final long address)
    {
        return ((address >>> 40) & 1) != 0;
    }

    /**
     * @param text "aa:bb:cc:dd:ee:ff" (or with '-').
     * @return the address.
     * @throws IllegalArgumentException if text is not six hex octets (configuration, not network input).
     */
    public static long parse(final String text)
    {
        final String[] parts = text.split("[:-]");
        if (parts.length != LENGTH)
        {
            throw new IllegalArgumentException("MAC address must have 6 octets: " + text);
        }
        long value = 0;
        for (final String part : parts)
        {
            final int octet;
            try
            {
                octet = Integer.parseInt(part, 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("MAC address octet not hex: " + text, ex);
            }
            if (part.length() > 2 || octet > 0xFF)
            {
                throw new IllegalArgumentException("MAC address octet above ff: " + text);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /**
     * @param address low 48 bits.
     * @return "aa:bb:cc:dd:ee:ff".
     */
    public static String toString(final long address)
    {
        final StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)((address & MASK) >>> shift) & 0xFF;
            if (shift != 40)
            {
                sb.append(':');
            }
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return sb.toString();
    }
}
