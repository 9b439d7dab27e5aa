package io.dominoes.net.wire;

/**
 * Mutable holder of the TCP options this stack understands, filled by {@link TcpOptions#parse} and read by
 * {@link TcpOptions#emit}. One instance is reused per socket or per parser: no allocation per segment.
 * <p>
 * Absent options read as: {@link #mss()} 0, {@link #windowScale()} -1, {@link #hasTimestamps()} false,
 * {@link #sackPermitted()} false, {@link #sackBlockCount()} 0.
 */
public final class TcpOptionValues
{
    /**
     * RFC 2018 3: at most four SACK blocks fit in the 40 bytes of option space.
     */
    public static final int MAX_SACK_BLOCKS = 4;

    private int mss;
    private int windowScale = -1;
    private boolean sackPermitted;
    private boolean hasTimestamps;
    private int tsVal;
    private int tsEcr;
    private int sackBlockCount;
    private final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[MAX_SACK_BLOCKS];

    /**
     * Forget every option.
     *
     * @return this for a fluent API.
     */
    public TcpOptionValues reset()
    {
        mss = 0;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlockCount = 0;
        return this;
    }

    /**
     * Copy every value from another holder.
     *
     * @param other to copy from.
     * @return this for a fluent API.
     */
    public TcpOptionValues copyFrom(final TcpOptionValues other)
    {
        mss = other.mss;
        windowScale = other.windowScale;
        sackPermitted = other.sackPermitted;
        hasTimestamps = other.hasTimestamps;
        tsVal = other.tsVal;
        tsEcr = other.tsEcr;
        sackBlockCount = other.sackBlockCount;
        System.arraycopy(other.sackLeft, 0, sackLeft, 0, MAX_SACK_BLOCKS);
        System.arraycopy(other.sackRight, 0, sackRight, 0, MAX_SACK_BLOCKS);
        return this;
    }

    /**
     * @return maximum segment size offered, 0 when absent.
     */
    public int mss()
    {
        return mss;
    }

    /**
     * @param mss to offer (1..65535), 0 for none.
     * @return this for a fluent API.
     */
    public TcpOptionValues mss(final int mss)
    {
        if (mss < 0 || mss > 0xFFFF)
        {
            throw new IllegalArgumentException("mss=" + mss + " not in [0, 65535]");
        }
        this.mss = mss;
        return this;
    }

    /**
     * @return window scale shift count 0..14, -1 when absent.
     */
    public int windowScale()
    {
        return windowScale;
    }

    /**
     * @param shift 0..14, or -1 for none.
     * @return this for a fluent API.
     */
    public TcpOptionValues windowScale(final int shift)
    {
        if (shift < -1 || shift > TcpOptions.MAX_WINDOW_SCALE)
        {
            throw new IllegalArgumentException("windowScale=" + shift + " not in [-1, 14]");
        }
        this.windowScale = shift;
        return this;
    }

    /**
     * @return true when SACK-permitted is present.
     */
    public boolean sackPermitted()
    {
        return sackPermitted;
    }

    /**
     * @param permitted whether to include SACK-permitted.
     * @return this for a fluent API.
     */
    public TcpOptionValues sackPermitted(final boolean permitted)
    {
        this.sackPermitted = permitted;
        return this;
    }

    /**
     * @return true when the timestamps option is present.
     */
    public boolean hasTimestamps()
    {
        return hasTimestamps;
    }

    /**
     * @return TSval, meaningful when {@link #hasTimestamps()}.
     */
    public int tsVal()
    {
        return tsVal;
    }

    /**
     * @return TSecr, meaningful when {@link #hasTimestamps()}.
     */
    public int tsEcr()
    {
        return tsEcr;
    }

    /**
     * @param tsVal timestamp value.
     * @param tsEcr timestamp echo reply.
     * @return this for a fluent API.
     */
    public TcpOptionValues timestamps(final int tsVal, final int tsEcr)
    {
        this.hasTimestamps = true;
        this.tsVal = tsVal;
        this.tsEcr = tsEcr;
        return this;
    }

    /**
     * @return this without the timestamps option.
     */
    public TcpOptionValues clearTimestamps()
    {
        this.hasTimestamps = false;
        return this;
    }

    /**
     * @return number of SACK blocks, 0..4.
     */
    public int sackBlockCount()
    {
        return sackBlockCount;
    }

    /**
     * @param index of the block.
     * @return left edge (first sequence number) of SACK block {@code index}.
     */
    public int sackLeft(final int index)
    {
        return sackLeft[index];
    }

    /**
     * @param index of the block.
     * @return right edge (sequence number after the block) of SACK block {@code index}.
     */
    public int sackRight(final int index)
    {
        return sackRight[index];
    }

    /**
     * @return this with no SACK blocks.
     */
    public TcpOptionValues clearSackBlocks()
    {
        sackBlockCount = 0;
        return this;
    }

    /**
     * Append a SACK block.
     *
     * @param left  first sequence number of the block.
     * @param right sequence number just after the block.
     * @return this for a fluent API.
     */
    public TcpOptionValues addSackBlock(final int left, final int right)
    {
        if (sackBlockCount == MAX_SACK_BLOCKS)
        {
            throw new IllegalStateException("sackBlockCount=" + sackBlockCount + " already at " + MAX_SACK_BLOCKS);
        }
        sackLeft[sackBlockCount] = left;
        sackRight[sackBlockCount] = right;
        sackBlockCount++;
        return this;
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("TcpOptionValues{mss=").append(mss)
            .append(", wscale=").append(windowScale)
            .append(", sackPermitted=").append(sackPermitted);
        if (hasTimestamps)
        {
            sb.append(", ts=").append(Integer.toUnsignedString(tsVal)).append('/').append(Integer.toUnsignedString(tsEcr));
        }
        for (int i = 0; i < sackBlockCount; i++)
        {
            sb.append(", sack[").append(Integer.toUnsignedString(sackLeft[i])).append(',')
                .append(Integer.toUnsignedString(sackRight[i])).append(')');
        }
        return sb.append('}').toString();
    }
}
