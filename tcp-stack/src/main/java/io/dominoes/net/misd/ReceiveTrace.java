package io.dominoes.net.misd;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A recorded receive-side input: the ticks and packets one connection's receiver saw, in order, as a
 * {@link ReceiveSimulation} produced them in a closed loop with a real sender. Replaying it into any receive
 * path reproduces the same decisions, so benchmarks measure the receive path alone with the input generated
 * before the clock starts.
 *
 * <pre>
 *  record: | kind (int32) | length (int32) | tick: time (int64) / frame: packet bytes | pad to 8 |
 * </pre>
 */
public final class ReceiveTrace
{
    /**
     * Visits the records in order.
     */
    public interface Visitor
    {
        void onTick(long nowNs);

        void onFrame(DirectBuffer buffer, int offset, int length);
    }

    public static final int TICK = 1;
    public static final int FRAME = 2;
    private static final int HEADER = 8;

    private final ExpandableDirectByteBuffer log = new ExpandableDirectByteBuffer(1 << 20);
    private int length;
    private long ticks;
    private long frames;
    private long streamBytes;
    private long streamDigest;
    private int maxFrameLength;

    void tick(final long nowNs)
    {
        log.putInt(length, TICK);
        log.putInt(length + 4, 8);
        log.putLong(length + HEADER, nowNs);
        length += HEADER + 8;
        ticks++;
    }

    void frame(final DirectBuffer buffer, final int offset, final int frameLength)
    {
        log.putInt(length, FRAME);
        log.putInt(length + 4, frameLength);
        log.putBytes(length + HEADER, buffer, offset, frameLength);
        length += HEADER + ((frameLength + 7) & ~7);
        frames++;
        maxFrameLength = Math.max(maxFrameLength, frameLength);
    }

    void stream(final long bytes, final long digest)
    {
        this.streamBytes = bytes;
        this.streamDigest = digest;
    }

    /**
     * Replay every record.
     */
    public void replay(final Visitor visitor)
    {
        final UnsafeBuffer view = new UnsafeBuffer(log, 0, Math.max(1, length));
        int at = 0;
        while (at < length)
        {
            final int kind = view.getInt(at);
            final int recordLength = view.getInt(at + 4);
            if (kind == TICK)
            {
                visitor.onTick(view.getLong(at + HEADER));
            }
            else
            {
                visitor.onFrame(view, at + HEADER, recordLength);
            }
            at += HEADER + ((recordLength + 7) & ~7);
        }
    }

    /**
     * @return the whole log as one buffer (records as in the class javadoc), for zero-copy readers.
     */
    public DirectBuffer buffer()
    {
        return new UnsafeBuffer(log, 0, Math.max(1, length));
    }

    /**
     * @return bytes of the log.
     */
    public int length()
    {
        return length;
    }

    public long ticks()
    {
        return ticks;
    }

    public long frames()
    {
        return frames;
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * @return bytes of the application stream the frames carry (what a receiver must deliver).
     */
    public long streamBytes()
    {
        return streamBytes;
    }

    /**
     * @return FNV-1a style digest of the stream ({@link ReceiveSimulation#digest}), to verify a replay.
     */
    public long streamDigest()
    {
        return streamDigest;
    }
}
