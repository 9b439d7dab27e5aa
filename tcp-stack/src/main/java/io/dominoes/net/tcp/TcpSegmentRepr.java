package io.dominoes.net.tcp;

import io.dominoes.net.wire.TcpOptionValues;
import io.dominoes.net.wire.TcpOptions;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.DirectBuffer;

/**
 * A received TCP segment as parsed values, what {@link TcpSocket#process} consumes: addresses and ports,
 * sequence and acknowledgment numbers, flags, the raw window field, options, and a reference to the payload
 * (not a copy). Mutable and reused: fill it from a wire segment with {@link #parse} or field by field in
 * tests. The payload buffer must stay valid for the duration of {@code process}.
 */
public final class TcpSegmentRepr
{
    private int srcAddr;
    private int dstAddr;
    private int srcPort;
    private int dstPort;
    private int seq;
    private int ack;
    private int flags;
    private int window;
    private final TcpOptionValues options = new TcpOptionValues();
    private DirectBuffer payloadBuffer;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Fill from a wire segment: structural check, then options.
     * The checksum is not verified here (it may be verified by another replica, DESIGN.md 4).
     *
     * @param segment wrapped over the received bytes.
     * @param srcAddr IPv4 source address of the datagram.
     * @param dstAddr IPv4 destination address of the datagram.
     * @return {@link TcpSegment#OK}, or a negative {@code TcpSegment.ERR_*} or {@code TcpOptions.ERR_*} code.
     */
    public int parse(final TcpSegment segment, final int srcAddr, final int dstAddr)
    {
        final int result = segment.checkLength();
        if (TcpSegment.OK != result)
        {
            return result;
        }
        final int optionsResult = segment.parseOptions(options);
        if (TcpOptions.OK != optionsResult)
        {
            return optionsResult;
        }
        this.srcAddr = srcAddr;
        this.dstAddr = dstAddr;
        this.srcPort = segment.srcPort();
        this.dstPort = segment.dstPort();
        this.seq = segment.seq();
        this.ack = segment.ack();
        this.flags = segment.flags();
        this.window = segment.window();
        this.payloadBuffer = segment.buffer();
        this.payloadOffset = segment.payloadOffset();
        this.payloadLength = segment.payloadLength();
        return TcpSegment.OK;
    }

    /**
     * Set the addressing fields.
     *
     * @return this for a fluent API.
     */
    public TcpSegmentRepr addresses(final int srcAddr, final int srcPort, final int dstAddr, final int dstPort)
    {
        this.srcAddr = srcAddr;
        this.srcPort = srcPort;
        this.dstAddr = dstAddr;
        this.dstPort = dstPort;
        return this;
    }

    /**
     * Set sequence fields and flags, clear options and payload.
     *
     * @return this for a fluent API.
     */
    public TcpSegmentRepr header(final int seq, final int ack, final int flags, final int window)
    {
        this.seq = seq;
        this.ack = ack;
        this.flags = flags;
        this.window = window;
        this.options.reset();
        this.payloadBuffer = null;
        this.payloadOffset = 0;
        this.payloadLength = 0;
        return this;
    }

    /**
     * @return this with a payload referring to {@code buffer}.
     */
    public TcpSegmentRepr payload(final DirectBuffer buffer, final int offset, final int length)
    {
        this.payloadBuffer = buffer;
        this.payloadOffset = offset;
        this.payloadLength = length;
        return this;
    }

    public int srcAddr()
    {
        return srcAddr;
    }

    public int dstAddr()
    {
        return dstAddr;
    }

    public int srcPort()
    {
        return srcPort;
    }

    public int dstPort()
    {
        return dstPort;
    }

    public int seq()
    {
        return seq;
    }

    public int ack()
    {
        return ack;
    }

    public int flags()
    {
        return flags;
    }

    public boolean hasFlag(final int flag)
    {
        return 0 != (flags & flag);
    }

    /**
     * @return the raw 16-bit window field (unscaled).
     */
    public int window()
    {
        return window;
    }

    public TcpOptionValues options()
    {
        return options;
    }

    public DirectBuffer payloadBuffer()
    {
        return payloadBuffer;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * @return SEG.LEN: payload plus SYN and FIN.
     */
    public int sequenceLength()
    {
        return payloadLength + (hasFlag(TcpSegment.FLAG_SYN) ? 1 : 0) + (hasFlag(TcpSegment.FLAG_FIN) ? 1 : 0);
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("TcpSegmentRepr{").append(srcPort).append("->").append(dstPort)
            .append(" seq=").append(Integer.toUnsignedString(seq));
        if (hasFlag(TcpSegment.FLAG_ACK))
        {
            sb.append(" ack=").append(Integer.toUnsignedString(ack));
        }
        sb.append(' ');
        if (hasFlag(TcpSegment.FLAG_SYN))
        {
            sb.append('S');
        }
        if (hasFlag(TcpSegment.FLAG_FIN))
        {
            sb.append('F');
        }
        if (hasFlag(TcpSegment.FLAG_RST))
        {
            sb.append('R');
        }
        if (hasFlag(TcpSegment.FLAG_PSH))
        {
            sb.append('P');
        }
        if (hasFlag(TcpSegment.FLAG_ACK))
        {
            sb.append('.');
        }
        return sb.append(" win=").append(window).append(" len=").append(payloadLength).append(' ').append(options)
            .append('}').toString();
    }
}
