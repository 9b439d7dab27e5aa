package io.dominoes.net.wire;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 * <p>
 * RFC 1071 section 1: "Adjacent octets to be checksummed are paired to form 16-bit integers, and
 * the 1's complement sum of these 16-bit integers is formed." and "To generate a checksum, the
 * checksum field itself is cleared, the 16-bit 1's complement sum is computed over the octets
 * concerned, and the 1's complement of this sum is placed in the checksum field."
 * <p>
 * A <em>folded sum</em> here is a value in {@code [0, 0xFFFF]}: the one's-complement sum with every
 * carry added back in ("end-around carry"). Sums compose: the sum of a pseudo-header can be passed
 * as {@code initial} to the sum of the segment. {@link #finish(int)} turns a folded sum into the
 * value stored in a header. A receiver that sums a whole header, checksum field included, gets
 * {@code 0xFFFF} when it is intact ({@code finish} of that is 0).
 * <p>
 * All methods are stateless, allocation free and thread safe.
 */
public final class Checksums
{
    private Checksums()
    {
    }

    /**
     * One's-complement sum of {@code length} bytes starting at {@code offset}, taken as big-endian
     * 16-bit words relative to {@code offset} (an odd last byte is padded with a zero byte on the
     * right, RFC 1071 section 4.1), added to {@code initial}. Not inverted.
     *
     * @param buffer  to read.
     * @param offset  of the first byte in {@code buffer}.
     * @param length  in bytes, may be odd or zero.
     * @param initial a folded sum to add (0 to start, or e.g. a pseudo-header sum).
     * @return the folded sum in {@code [0, 0xFFFF]}.
     * @throws IllegalArgumentException if the range is not inside the buffer (API misuse: parsers
     *                                  check lengths before summing).
     */
    public static int onesComplementSum(final DirectBuffer buffer, final int offset, final int length, final int initial)
    {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IllegalArgumentException(
                "range offset=" + offset + " length=" + length + " outside buffer capacity=" + buffer.capacity());
        }

        // 2^16 == 1 (mod 0xFFFF), so a 32-bit big-endian word sums like its two 16-bit halves: we
        // add the two 32-bit halves of each big-endian 64-bit read into a long and fold at the end.
        // Each step adds < 2^33, so a long cannot overflow for any int length.
        long sum = initial & 0xFFFFFFFFL;
        int i = offset;
        final int longEnd = offset + (length & ~7);
        while (i < longEnd)
        {
            final long v = buffer.getLong(i, ByteOrder.BIG_ENDIAN);
            sum += (v >>> 32) + (v & 0xFFFFFFFFL);
            i += 8;
        }

        final int end = offset + length;
        if (end - i >= 4)
        {
            sum += buffer.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFFFFFFL;
            i += 4;
        }
        if (end - i >= 2)
        {
            sum += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (i < end)
        {
            sum += (buffer.getByte(i) & 0xFF) << 8;
        }

        return fold(sum);
    }

    /**
     * Folded sum of the IPv4 pseudo-header used by TCP and UDP.
     * <p>
     * RFC 9293 section 3.1: "The checksum also covers a pseudo-header ... This pseudo-header
     * contains the Source Address, the Destination Address, the Protocol, and TCP length."
     * <pre>
     *   +--------+--------+--------+--------+
     *   |           Source Address          |
     *   +--------+--------+--------+--------+
     *   |         Destination Address       |
     *   +--------+--------+--------+--------+
     *   |  zero  |  PTCL  |    TCP Length   |
     *   +--------+--------+--------+--------+
     * </pre>
     *
     * @param srcAddr  IPv4 source address as a big-endian int (a.b.c.d is {@code a << 24 | ...}).
     * @param dstAddr  IPv4 destination address, same encoding.
     * @param protocol IP protocol number (6 for TCP, 17 for UDP), low 8 bits used.
     * @param length   transport header plus payload length in bytes, low 16 bits used.
     * @return the folded sum in {@code [0, 0xFFFF]}, to pass as {@code initial}.
     */
    public static int pseudoHeaderSumIpv4(final int srcAddr, final int dstAddr, final int protocol, final int length)
    {
        final long sum = (long)(srcAddr >>> 16) + (srcAddr & 0xFFFF) +
            (dstAddr >>> 16) + (dstAddr & 0xFFFF) +
            (protocol & 0xFF) + (length & 0xFFFF);
        return fold(sum);
    }

    /**
     * @param sum a folded sum.
     * @return the one's complement of the sum, the value to store in a checksum field.
     */
    public static int finish(final int sum)
    {
        return ~sum & 0xFFFF;
    }

    /**
     * Incremental update of a stored checksum after one 16-bit word of the covered data changes.
     * <p>
     * RFC 1624 section 3, eqn. 3: {@code HC' = ~(~HC + ~m + m')}, where HC is the old checksum,
     * m the old value of the word and m' the new one. (Eqn. 2, {@code HC' = HC - ~m - m'}, was
     * the erratum in RFC 1141 this RFC corrects.)
     *
     * @param oldChecksum the checksum field as stored before the change.
     * @param oldWord     the 16-bit word before the change.
     * @param newWord     the 16-bit word after the change.
     * @return the new checksum field value.
     */
    public static int incrementalUpdate(final int oldChecksum, final int oldWord, final int newWord)
    {
        final long sum = (long)(~oldChecksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * Add the carries above bit 15 back into the low 16 bits until none remain.
     *
     * @param sum a non-negative partial sum.
     * @return the folded sum in {@code [0, 0xFFFF]}.
     */
    static int fold(final long sum)
    {
        long s = sum;
        while ((s >>> 16) != 0)
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)s;
    }
}
