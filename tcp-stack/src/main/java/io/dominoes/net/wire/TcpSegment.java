package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over a TCP segment (RFC 9293 3.1) in an Agrona buffer. Wrap, {@link #checkLength()}, then read
 * any field; or wrap a buffer with room, set fields, emit options and payload, then {@link #fillChecksum}.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             | 12
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     [Options, 0..40 bytes]                    | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             Data                              |
 * </pre>
 * Sequence and acknowledgment numbers are raw {@code int}s; compare them with {@link SeqNumber}.
 * Nothing here throws for network input: {@link #checkLength()} and {@link #parseOptions} return codes.
 */
public final class TcpSegment
{
    public static final int PROTOCOL_NUMBER = 6;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int SEQ_OFFSET = 4;
    public static final int ACK_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_OFFSET = 18;
    public static final int OPTIONS_OFFSET = 20;

    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;
    public static final int FLAG_URG = 0x20;
    public static final int FLAG_ECE = 0x40;
    public static final int FLAG_CWR = 0x80;

    /**
     * The segment is structurally sound.
     */
    public static final int OK = 0;

    /**
     * Fewer bytes than the fixed 20-byte header.
     */
    public static final int ERR_TRUNCATED = -1;

    /**
     * Data offset below 5 words: RFC 9293 3.1 "The TCP header (even one including options) is an integer
     * multiple of 32 bits long", at least the 20 fixed bytes.
     */
    public static final int ERR_DATA_OFFSET_TOO_SMALL = -2;

    /**
     * Data offset points past the end of the segment.
     */
    public static final int ERR_DATA_OFFSET_BEYOND_LENGTH = -3;

    /**
     * Source or destination port 0, which RFC 6335 reserves and no connection can use.
     */
    public static final int ERR_PORT_ZERO = -4;

    /**
     * SYN together with RST or FIN: no RFC 9293 state accepts it (smoltcp rejects it in TcpRepr::parse).
     */
    public static final int ERR_FLAG_COMBINATION = -5;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int offset;
    private int length;

    /**
     * Wrap a region that holds (or will hold) one TCP segment: header, options and payload.
     *
     * @param buffer holding the segment.
     * @param offset of the first header byte.
     * @param length of the whole segment.
     * @return this for a fluent API.
     */
    public TcpSegment wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " outside capacity=" + buffer.capacity());
        }
        this.buffer.wrap(buffer, offset, length);
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * @return the wrapped view, offset 0 is the first header byte.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the segment in the buffer originally wrapped.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return length of the wrapped segment.
     */
    public int length()
    {
        return length;
    }

    /**
     * Structural check that makes every accessor safe: fixed header present, data offset in
     * [5, length / 4], ports non-zero, no SYN with RST or FIN.
     *
     * @return {@link #OK} or a negative {@code ERR_*} code.
     */
    public int checkLength()
    {
        if (length < MIN_HEADER_LENGTH)
        {
            return ERR_TRUNCATED;
        }
        final int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH)
        {
            return ERR_DATA_OFFSET_TOO_SMALL;
        }
        if (headerLength > length)
        {
            return ERR_DATA_OFFSET_BEYOND_LENGTH;
        }
        if (0 == srcPort() || 0 == dstPort())
        {
            return ERR_PORT_ZERO;
        }
        final int flags = flags();
        if (0 != (flags & FLAG_SYN) && 0 != (flags & (FLAG_RST | FLAG_FIN)))
        {
            return ERR_FLAG_COMBINATION;
        }
        return OK;
    }

    /**
     * Parse the options region; call after {@link #checkLength()} returned {@link #OK}.
     *
     * @param values filled with the options found.
     * @return {@link TcpOptions#OK} or a negative {@code TcpOptions.ERR_*} code.
     */
    public int parseOptions(final TcpOptionValues values)
    {
        return TcpOptions.parse(buffer, OPTIONS_OFFSET, headerLength() - MIN_HEADER_LENGTH, values);
    }

    /**
     * RFC 9293 3.1: "The checksum field is the 16-bit ones' complement of the ones' complement sum of all
     * 16-bit words in the header and text", with the pseudo-header (source, destination, zero, PTCL,
     * TCP length) prefixed.
     *
     * @param srcAddr IPv4 source address.
     * @param dstAddr IPv4 destination address.
     * @return true when the checksum over pseudo-header and segment is correct.
     */
    public boolean verifyChecksum(final int srcAddr, final int dstAddr)
    {
        final int pseudo = Checksums.pseudoHeaderSumIpv4(srcAddr, dstAddr, PROTOCOL_NUMBER, length);
        return 0 == Checksums.finish(Checksums.onesComplementSum(buffer, 0, length, pseudo));
    }

    /**
     * Compute and store the checksum over pseudo-header, header, options and payload (all written first).
     *
     * @param srcAddr IPv4 source address.
     * @param dstAddr IPv4 destination address.
     * @return this for a fluent API.
     */
    public TcpSegment fillChecksum(final int srcAddr, final int dstAddr)
    {
        checksum(0);
        final int pseudo = Checksums.pseudoHeaderSumIpv4(srcAddr, dstAddr, PROTOCOL_NUMBER, length);
        checksum(Checksums.finish(Checksums.onesComplementSum(buffer, 0, length, pseudo)));
        return this;
    }

    public int srcPort()
    {
        return buffer.getShort(SRC_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpSegment srcPort(final int port)
    {
        buffer.putShort(SRC_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int dstPort()
    {
        return buffer.getShort(DST_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpSegment dstPort(final int port)
    {
        buffer.putShort(DST_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int seq()
    {
        return buffer.getInt(SEQ_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public TcpSegment seq(final int seq)
    {
        buffer.putInt(SEQ_OFFSET, seq, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int ack()
    {
        return buffer.getInt(ACK_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public TcpSegment ack(final int ack)
    {
        buffer.putInt(ACK_OFFSET, ack, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return header length in bytes (data offset * 4), options included.
     */
    public int headerLength()
    {
        return ((buffer.getByte(DATA_OFFSET_OFFSET) & 0xF0) >>> 4) << 2;
    }

    /**
     * @param bytes header length, a multiple of 4 in [20, 60]; the reserved bits are cleared.
     * @return this for a fluent API.
     */
    public TcpSegment headerLength(final int bytes)
    {
        if (bytes < MIN_HEADER_LENGTH || bytes > MAX_HEADER_LENGTH || 0 != (bytes & 3))
        {
            throw new IllegalArgumentException("headerLength=" + bytes + " not a multiple of 4 in [20, 60]");
        }
        buffer.putByte(DATA_OFFSET_OFFSET, (byte)((bytes >>> 2) << 4));
        return this;
    }

    /**
     * @return the 8 flag bits CWR..FIN, see {@code FLAG_*}.
     */
    public int flags()
    {
        return buffer.getByte(FLAGS_OFFSET) & 0xFF;
    }

    public TcpSegment flags(final int flags)
    {
        buffer.putByte(FLAGS_OFFSET, (byte)flags);
        return this;
    }

    public boolean fin()
    {
        return 0 != (flags() & FLAG_FIN);
    }

    public boolean syn()
    {
        return 0 != (flags() & FLAG_SYN);
    }

    public boolean rst()
    {
        return 0 != (flags() & FLAG_RST);
    }

    public boolean psh()
    {
        return 0 != (flags() & FLAG_PSH);
    }

    public boolean ackFlag()
    {
        return 0 != (flags() & FLAG_ACK);
    }

    public boolean urg()
    {
        return 0 != (flags() & FLAG_URG);
    }

    public boolean ece()
    {
        return 0 != (flags() & FLAG_ECE);
    }

    public boolean cwr()
    {
        return 0 != (flags() & FLAG_CWR);
    }

    /**
     * @return the raw (unscaled) 16-bit window field.
     */
    public int window()
    {
        return buffer.getShort(WINDOW_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpSegment window(final int window)
    {
        buffer.putShort(WINDOW_OFFSET, (short)window, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpSegment checksum(final int checksum)
    {
        buffer.putShort(CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int urgentPointer()
    {
        return buffer.getShort(URGENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpSegment urgentPointer(final int pointer)
    {
        buffer.putShort(URGENT_OFFSET, (short)pointer, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return offset of the options region within the wrapped view (always 20).
     */
    public int optionsOffset()
    {
        return OPTIONS_OFFSET;
    }

    /**
     * @return length of the options region.
     */
    public int optionsLength()
    {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /**
     * @return offset of the payload within the wrapped view ({@link #buffer()}).
     */
    public int payloadOffset()
    {
        return headerLength();
    }

    /**
     * @return payload length in bytes.
     */
    public int payloadLength()
    {
        return length - headerLength();
    }

    /**
     * @return sequence space the segment occupies: payload plus one for SYN and one for FIN.
     */
    public int sequenceLength()
    {
        final int flags = flags();
        return payloadLength() + (flags & FLAG_SYN) / FLAG_SYN + (flags & FLAG_FIN);
    }

    /**
     * Write the fixed header fields (checksum zeroed, urgent pointer 0) and options; the caller then writes
     * {@code payloadLength} bytes at {@link #payloadOffset()} and calls {@link #fillChecksum}.
     * The wrapped length must be {@code 20 + TcpOptions.emittedLength(options) + payloadLength}.
     *
     * @return header length written (20 + options).
     */
    public int emitHeader(
        final int srcPort,
        final int dstPort,
        final int seq,
        final int ack,
        final int flags,
        final int window,
        final TcpOptionValues options)
    {
        final int headerLength = MIN_HEADER_LENGTH + TcpOptions.emittedLength(options);
        if (headerLength > length)
        {
            throw new IllegalArgumentException("headerLength=" + headerLength + " > wrapped length=" + length);
        }
        srcPort(srcPort).dstPort(dstPort).seq(seq).ack(ack).headerLength(headerLength).flags(flags)
            .window(window).checksum(0).urgentPointer(0);
        TcpOptions.emit(buffer, OPTIONS_OFFSET, options);
        return headerLength;
    }

    public String toString()
    {
        if (length < MIN_HEADER_LENGTH)
        {
            return "TcpSegment{truncated length=" + length + "}";
        }
        return "TcpSegment{" + srcPort() + "->" + dstPort() +
            " seq=" + Integer.toUnsignedString(seq()) + " ack=" + Integer.toUnsignedString(ack()) +
            " flags=0x" + Integer.toHexString(flags()) + " win=" + window() + " hlen=" + headerLength() +
            " len=" + length + "}";
    }
}
