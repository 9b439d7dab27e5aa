package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Parse and emit the TCP options region (RFC 9293 3.1 and 3.2, RFC 7323, RFC 2018).
 * <pre>
 *   kind=0 EOL                          1 byte
 *   kind=1 NOP                          1 byte
 *   kind=2 len=4  MSS (16 bits)         RFC 9293 3.2
 *   kind=3 len=3  shift.cnt             RFC 7323 2.2
 *   kind=4 len=2  SACK-permitted        RFC 2018 2
 *   kind=5 len=2+8n  n (left,right) blocks   RFC 2018 3
 *   kind=8 len=10 TSval, TSecr          RFC 7323 3.2
 * </pre>
 * Parsing never throws on network input: it returns {@link #OK} or a negative error code.
 */
public final class TcpOptions
{
    public static final int KIND_EOL = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;

    public static final int LENGTH_MSS = 4;
    public static final int LENGTH_WINDOW_SCALE = 3;
    public static final int LENGTH_SACK_PERMITTED = 2;
    public static final int LENGTH_TIMESTAMPS = 10;

    /**
     * RFC 7323 2.3: the largest shift count.
     */
    public static final int MAX_WINDOW_SCALE = 14;

    /**
     * RFC 9293 3.1: the data offset is 4 bits of 32-bit words, so at most 40 bytes of options.
     */
    public static final int MAX_LENGTH = 40;

    /**
     * Options parsed.
     */
    public static final int OK = 0;

    /**
     * An option other than EOL/NOP has its length byte past the end of the region.
     */
    public static final int ERR_MISSING_LENGTH = -20;

    /**
     * An option's length byte is 0 or 1 (smaller than its own kind and length bytes).
     */
    public static final int ERR_LENGTH_TOO_SMALL = -21;

    /**
     * An option's length runs past the end of the options region.
     */
    public static final int ERR_OVERRUN = -22;

    /**
     * An option with a fixed length (MSS, window scale, SACK-permitted, timestamps) has another length.
     */
    public static final int ERR_WRONG_FIXED_LENGTH = -23;

    /**
     * A SACK option whose length is not 2 + 8n for n in 1..4.
     */
    public static final int ERR_SACK_LENGTH = -24;

    private TcpOptions()
    {
    }

    /**
     * Parse an options region into {@code values} (reset first).
     * <p>
     * RFC 9293 3.2 (MUST-6): "A TCP implementation MUST ignore without error any TCP option it does not
     * implement, assuming that the option has a length field." Unknown kinds are skipped by their length.
     * <p>
     * RFC 9293 3.2 (MUST-7): "A TCP implementation MUST be prepared to handle an illegal option length
     * (e.g., zero)"; such an option makes the whole segment malformed here, reported by a negative code.
     * <p>
     * RFC 7323 2.3: "If a Window Scale option is received with a shift.cnt value larger than 14, the TCP
     * SHOULD log the error but MUST use 14 instead of the specified value."
     * <p>
     * RFC 2018 3: "The SACK option is to be used to convey extended acknowledgment information ... Length:
     * Variable", each block 8 bytes, so its length is 2 + 8n.
     *
     * @param buffer holding the options.
     * @param offset of the first option byte.
     * @param length of the options region (data offset * 4 - 20).
     * @param values filled with what was found.
     * @return {@link #OK} or a negative {@code ERR_*} code.
     */
    public static int parse(final DirectBuffer buffer, final int offset, final int length, final TcpOptionValues values)
    {
        values.reset();
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int kind = buffer.getByte(i) & 0xFF;
            if (KIND_EOL == kind)
            {
                // RFC 9293 3.1: "The content of the header beyond the End of Option List option must be
                // header padding", so stop here.
                break;
            }
            if (KIND_NOP == kind)
            {
                i++;
                continue;
            }
            if (i + 1 >= end)
            {
                return ERR_MISSING_LENGTH;
            }
            final int optionLength = buffer.getByte(i + 1) & 0xFF;
            if (optionLength < 2)
            {
                return ERR_LENGTH_TOO_SMALL;
            }
            if (i + optionLength > end)
            {
                return ERR_OVERRUN;
            }
            switch (kind)
            {
                case KIND_MSS:
                    if (LENGTH_MSS != optionLength)
                    {
                        return ERR_WRONG_FIXED_LENGTH;
                    }
                    values.mss(((buffer.getByte(i + 2) & 0xFF) << 8) | (buffer.getByte(i + 3) & 0xFF));
                    break;

                case KIND_WINDOW_SCALE:
                    if (LENGTH_WINDOW_SCALE != optionLength)
                    {
                        return ERR_WRONG_FIXED_LENGTH;
                    }
                    values.windowScale(Math.min(buffer.getByte(i + 2) & 0xFF, MAX_WINDOW_SCALE));
                    break;

                case KIND_SACK_PERMITTED:
                    if (LENGTH_SACK_PERMITTED != optionLength)
                    {
                        return ERR_WRONG_FIXED_LENGTH;
                    }
                    values.sackPermitted(true);
                    break;

                case KIND_TIMESTAMPS:
                    if (LENGTH_TIMESTAMPS != optionLength)
                    {
                        return ERR_WRONG_FIXED_LENGTH;
                    }
                    values.timestamps(getIntBigEndian(buffer, i + 2), getIntBigEndian(buffer, i + 6));
                    break;

                case KIND_SACK:
                {
                    final int blocks = (optionLength - 2) >> 3;
                    if (optionLength != 2 + (blocks << 3) || blocks < 1 || blocks > TcpOptionValues.MAX_SACK_BLOCKS)
                    {
                        return ERR_SACK_LENGTH;
                    }
                    values.clearSackBlocks();
                    for (int b = 0; b < blocks; b++)
                    {
                        final int at = i + 2 + (b << 3);
                        values.addSackBlock(getIntBigEndian(buffer, at), getIntBigEndian(buffer, at + 4));
                    }
                    break;
                }

                default:
                    break;
            }
            i += optionLength;
        }
        return OK;
    }

    /**
     * @param values to be emitted.
     * @return bytes {@link #emit} will write, a multiple of 4, at most {@link #MAX_LENGTH}.
     */
    public static int emittedLength(final TcpOptionValues values)
    {
        int length = 0;
        if (values.mss() > 0)
        {
            length += 4;
        }
        if (values.hasTimestamps() || values.sackPermitted())
        {
            length += values.hasTimestamps() ? 12 : 4;
        }
        if (values.windowScale() >= 0)
        {
            length += 4;
        }
        if (values.sackBlockCount() > 0)
        {
            length += 4 + (values.sackBlockCount() << 3);
        }
        if (length > MAX_LENGTH)
        {
            throw new IllegalArgumentException("options length=" + length + " > " + MAX_LENGTH + " for " + values);
        }
        return length;
    }

    /**
     * Write the options, padded with NOPs so each sits 4-byte aligned as Linux lays them out:
     * MSS, [SACK-permitted|NOP NOP] timestamps (or NOP NOP SACK-permitted), NOP window scale,
     * NOP NOP SACK blocks.
     *
     * @param buffer to write into.
     * @param offset of the first option byte.
     * @param values to write.
     * @return bytes written, equal to {@link #emittedLength(TcpOptionValues)}.
     */
    public static int emit(final MutableDirectBuffer buffer, final int offset, final TcpOptionValues values)
    {
        final int length = emittedLength(values);
        int i = offset;
        if (values.mss() > 0)
        {
            buffer.putByte(i, (byte)KIND_MSS);
            buffer.putByte(i + 1, (byte)LENGTH_MSS);
            putShortBigEndian(buffer, i + 2, values.mss());
            i += 4;
        }
        if (values.hasTimestamps())
        {
            if (values.sackPermitted())
            {
                buffer.putByte(i, (byte)KIND_SACK_PERMITTED);
                buffer.putByte(i + 1, (byte)LENGTH_SACK_PERMITTED);
            }
            else
            {
                buffer.putByte(i, (byte)KIND_NOP);
                buffer.putByte(i + 1, (byte)KIND_NOP);
            }
            buffer.putByte(i + 2, (byte)KIND_TIMESTAMPS);
            buffer.putByte(i + 3, (byte)LENGTH_TIMESTAMPS);
            putIntBigEndian(buffer, i + 4, values.tsVal());
            putIntBigEndian(buffer, i + 8, values.tsEcr());
            i += 12;
        }
        else if (values.sackPermitted())
        {
            buffer.putByte(i, (byte)KIND_NOP);
            buffer.putByte(i + 1, (byte)KIND_NOP);
            buffer.putByte(i + 2, (byte)KIND_SACK_PERMITTED);
            buffer.putByte(i + 3, (byte)LENGTH_SACK_PERMITTED);
            i += 4;
        }
        if (values.windowScale() >= 0)
        {
            buffer.putByte(i, (byte)KIND_NOP);
            buffer.putByte(i + 1, (byte)KIND_WINDOW_SCALE);
            buffer.putByte(i + 2, (byte)LENGTH_WINDOW_SCALE);
            buffer.putByte(i + 3, (byte)values.windowScale());
            i += 4;
        }
        final int blocks = values.sackBlockCount();
        if (blocks > 0)
        {
            buffer.putByte(i, (byte)KIND_NOP);
            buffer.putByte(i + 1, (byte)KIND_NOP);
            buffer.putByte(i + 2, (byte)KIND_SACK);
            buffer.putByte(i + 3, (byte)(2 + (blocks << 3)));
            i += 4;
            for (int b = 0; b < blocks; b++)
            {
                putIntBigEndian(buffer, i, values.sackLeft(b));
                putIntBigEndian(buffer, i + 4, values.sackRight(b));
                i += 8;
            }
        }
        return length;
    }

    static int getIntBigEndian(final DirectBuffer buffer, final int index)
    {
        return ((buffer.getByte(index) & 0xFF) << 24) |
            ((buffer.getByte(index + 1) & 0xFF) << 16) |
            ((buffer.getByte(index + 2) & 0xFF) << 8) |
            (buffer.getByte(index + 3) & 0xFF);
    }

    static void putIntBigEndian(final MutableDirectBuffer buffer, final int index, final int value)
    {
        buffer.putByte(index, (byte)(value >>> 24));
        buffer.putByte(index + 1, (byte)(value >>> 16));
        buffer.putByte(index + 2, (byte)(value >>> 8));
        buffer.putByte(index + 3, (byte)value);
    }

    static void putShortBigEndian(final MutableDirectBuffer buffer, final int index, final int value)
    {
        buffer.putByte(index, (byte)(value >>> 8));
        buffer.putByte(index + 1, (byte)value);
    }
}
