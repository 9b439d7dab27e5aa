package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

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
    private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

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

        // The range was checked once above, so the words are read straight from the buffer's memory (byte array
        // or native address, as Agrona's buffers do it): no bounds check and no interface call per word. This is
        // the hottest loop of the receive path; through DirectBuffer.getLong it cost about twice as much once the
        // call site had seen more than one buffer class, and more again with Agrona's bounds checks on.
        //
        // Byte order independence (RFC 1071 section 2(B)): "the sum of 16-bit integers can be computed in either
        // byte order", i.e. summing byte-swapped words gives the byte-swapped sum. So the words are read in native
        // order and only the folded result is swapped on a little-endian machine.
        //
        // 2^16 == 1 (mod 0xFFFF), so a 32-bit word sums like its two 16-bit halves: we add the two 32-bit halves
        // of each 64-bit read into a long and fold at the end. Each step adds < 2^33, so a long cannot overflow
        // for any int length.
        final byte[] array = buffer.byteArray();
        final long base = buffer.addressOffset() + offset;
        long sum = 0;
        long sum2 = 0;
        int i = 0;
        final int sixteenEnd = length & ~15;
        while (i < sixteenEnd)
        {
            final long a = UnsafeApi.getLong(array, base + i);
            final long b = UnsafeApi.getLong(array, base + i + 8);
            sum += (a >>> 32) + (a & 0xFFFFFFFFL);
            sum2 += (b >>> 32) + (b & 0xFFFFFFFFL);
            i += 16;
        }
        sum += sum2;
        if (length - i >= 8)
        {
            final long a = UnsafeApi.getLong(array, base + i);
            sum += (a >>> 32) + (a & 0xFFFFFFFFL);
            i += 8;
        }
        if (length - i >= 4)
        {
            sum += UnsafeApi.getInt(array, base + i) & 0xFFFFFFFFL;
            i += 4;
        }
        if (length - i >= 2)
        {
            sum += UnsafeApi.getShort(array, base + i) & 0xFFFF;
            i += 2;
        }
        if (i < length)
        {
            // RFC 1071 4.1: an odd last byte is the high byte of a word padded with zero: in native order that is
            // the byte at the word's lower address, which is the low half on a little-endian machine.
            final int last = UnsafeApi.getByte(array, base + i) & 0xFF;
            sum += NATIVE_BIG_ENDIAN ? last << 8 : last;
        }

        int folded = fold(sum);
        if (!NATIVE_BIG_ENDIAN)
        {
            folded = ((folded & 0xFF) << 8) | (folded >>> 8);
        }
        return fold((long)folded + (initial & 0xFFFFFFFFL));
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
