package io.dominoes.net.tcp;

import io.dominoes.net.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/**
 * Test emitter: keeps each emitted segment as bytes with its addresses, and can hand it back parsed.
 */
public final class CapturingEmitter implements TcpEmitter
{
    /**
     * One emitted segment.
     */
    public static final class Captured
    {
        public final int srcAddr;
        public final int dstAddr;
        public final byte[] bytes;

        Captured(final int srcAddr, final int dstAddr, final byte[] bytes)
        {
            this.srcAddr = srcAddr;
            this.dstAddr = dstAddr;
            this.bytes = bytes;
        }
    }

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[70_000]);
    private final ArrayDeque<Captured> segments = new ArrayDeque<>();
    private int claimedSrc;
    private int claimedDst;
    private int claimedLength = -1;
    private int room = Integer.MAX_VALUE;

    /**
     * @param segments how many more claims succeed before {@link #NO_SPACE}.
     */
    public void room(final int segments)
    {
        this.room = segments;
    }

    public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
    {
        if (claimedLength >= 0)
        {
            throw new IllegalStateException("claim while a claim is open");
        }
        if (room <= 0)
        {
            return NO_SPACE;
        }
        room--;
        claimedSrc = srcAddr;
        claimedDst = dstAddr;
        claimedLength = tcpLength;
        return 7;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public void commit()
    {
        final byte[] bytes = new byte[claimedLength];
        buffer.getBytes(7, bytes);
        segments.add(new Captured(claimedSrc, claimedDst, bytes));
        claimedLength = -1;
    }

    public int size()
    {
        return segments.size();
    }

    public boolean isEmpty()
    {
        return segments.isEmpty();
    }

    public Captured poll()
    {
        return segments.poll();
    }

    public void clear()
    {
        segments.clear();
    }

    /**
     * Parse a captured segment into {@code repr} after verifying its checksum.
     *
     * @return the repr, for chaining.
     */
    public static TcpSegmentRepr parse(final Captured captured, final TcpSegmentRepr repr)
    {
        final TcpSegment segment = new TcpSegment().wrap(new UnsafeBuffer(captured.bytes), 0, captured.bytes.length);
        if (!segment.verifyChecksum(captured.srcAddr, captured.dstAddr))
        {
            throw new AssertionError("bad checksum on emitted segment " + segment);
        }
        final int result = repr.parse(segment, captured.srcAddr, captured.dstAddr);
        if (0 != result)
        {
            throw new AssertionError("emitted segment does not parse: " + result + " " + segment);
        }
        return repr;
    }
}
