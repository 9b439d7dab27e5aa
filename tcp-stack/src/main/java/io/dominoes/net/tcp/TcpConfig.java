package io.dominoes.net.tcp;

/**
 * Settings of a socket, fixed at construction. Fluent setters; {@link #conclude()} validates once.
 * Defaults follow Linux where an RFC leaves a choice.
 */
public final class TcpConfig
{
    private int mss = 1460;
    private int receiveBufferCapacity = 256 * 1024;
    private int sendBufferCapacity = 256 * 1024;
    private int maxAssemblerRanges = 8;
    private boolean windowScaling = true;
    private boolean timestamps = true;
    private boolean sack = true;
    private boolean noDelay = false;
    private boolean copyPayload = true;
    private long delayedAckTimeoutNs = 40_000_000L;
    private long maxSegmentLifetimeNs = 30_000_000_000L;
    private long initialRtoNs = 1_000_000_000L;
    private long minRtoNs = 200_000_000L;
    private long maxRtoNs = 60_000_000_000L;
    private long clockGranularityNs = 1_000_000L;
    private int maxRetransmissions = 15;
    private int maxSynRetransmissions = 6;
    private int timestampOffset = 0;
    private IsnGenerator isnGenerator = IsnGenerator.keyed(0x5DEECE66DL);

    /**
     * Validate the settings.
     *
     * @return this for a fluent API.
     */
    public TcpConfig conclude()
    {
        if (mss < 64 || mss > 65495)
        {
            throw new IllegalArgumentException("mss=" + mss + " not in [64, 65495]");
        }
        checkPowerOfTwo("receiveBufferCapacity", receiveBufferCapacity);
        checkPowerOfTwo("sendBufferCapacity", sendBufferCapacity);
        if (receiveBufferCapacity > (1 << 30) || sendBufferCapacity > (1 << 30))
        {
            throw new IllegalArgumentException("buffer capacity > 2^30 (RFC 7323 window limit)");
        }
        if (maxAssemblerRanges < 1)
        {
            throw new IllegalArgumentException("maxAssemblerRanges=" + maxAssemblerRanges + " must be >= 1");
        }
        if (delayedAckTimeoutNs <= 0 || delayedAckTimeoutNs >= 500_000_000L)
        {
            // RFC 9293 3.8.6.3 (MUST-40): "the delay MUST be less than 0.5 seconds".
            throw new IllegalArgumentException("delayedAckTimeoutNs=" + delayedAckTimeoutNs + " not in (0, 500 ms)");
        }
        if (maxSegmentLifetimeNs <= 0)
        {
            throw new IllegalArgumentException("maxSegmentLifetimeNs=" + maxSegmentLifetimeNs + " must be > 0");
        }
        if (maxRetransmissions < 1 || maxSynRetransmissions < 1)
        {
            throw new IllegalArgumentException("maxRetransmissions=" + maxRetransmissions +
                " maxSynRetransmissions=" + maxSynRetransmissions + " must be >= 1");
        }
        if (null == isnGenerator)
        {
            throw new IllegalArgumentException("isnGenerator is null");
        }
        new RttEstimator(initialRtoNs, minRtoNs, maxRtoNs, clockGranularityNs);
        return this;
    }

    private static void checkPowerOfTwo(final String name, final int value)
    {
        if (value < 1024 || Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(name + "=" + value + " must be a power of two >= 1024");
        }
    }

    /**
     * @return the MSS announced to the peer and the upper bound on segments sent (bytes of payload).
     */
    public int mss()
    {
        return mss;
    }

    public TcpConfig mss(final int mss)
    {
        this.mss = mss;
        return this;
    }

    public int receiveBufferCapacity()
    {
        return receiveBufferCapacity;
    }

    public TcpConfig receiveBufferCapacity(final int capacity)
    {
        this.receiveBufferCapacity = capacity;
        return this;
    }

    public int sendBufferCapacity()
    {
        return sendBufferCapacity;
    }

    public TcpConfig sendBufferCapacity(final int capacity)
    {
        this.sendBufferCapacity = capacity;
        return this;
    }

    public int maxAssemblerRanges()
    {
        return maxAssemblerRanges;
    }

    public TcpConfig maxAssemblerRanges(final int ranges)
    {
        this.maxAssemblerRanges = ranges;
        return this;
    }

    public boolean windowScaling()
    {
        return windowScaling;
    }

    public TcpConfig windowScaling(final boolean enabled)
    {
        this.windowScaling = enabled;
        return this;
    }

    public boolean timestamps()
    {
        return timestamps;
    }

    public TcpConfig timestamps(final boolean enabled)
    {
        this.timestamps = enabled;
        return this;
    }

    public boolean sack()
    {
        return sack;
    }

    public TcpConfig sack(final boolean enabled)
    {
        this.sack = enabled;
        return this;
    }

    /**
     * @return whether received payload is copied into the receive buffer (true unless set off for measuring).
     */
    public boolean copyPayload()
    {
        return copyPayload;
    }

    /**
     * Off only to measure the state machine without the payload copy (TcpReceiveBenchmark): sequence space,
     * windows and ACKs behave as usual, but what {@link TcpSocket#read} returns is then not the data received.
     */
    public TcpConfig copyPayload(final boolean copyPayload)
    {
        this.copyPayload = copyPayload;
        return this;
    }

    /**
     * @return true to disable Nagle's algorithm.
     */
    public boolean noDelay()
    {
        return noDelay;
    }

    public TcpConfig noDelay(final boolean noDelay)
    {
        this.noDelay = noDelay;
        return this;
    }

    public long delayedAckTimeoutNs()
    {
        return delayedAckTimeoutNs;
    }

    public TcpConfig delayedAckTimeoutNs(final long timeoutNs)
    {
        this.delayedAckTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * @return MSL; TIME-WAIT lasts twice this (RFC 9293 3.4.2).
     */
    public long maxSegmentLifetimeNs()
    {
        return maxSegmentLifetimeNs;
    }

    public TcpConfig maxSegmentLifetimeNs(final long mslNs)
    {
        this.maxSegmentLifetimeNs = mslNs;
        return this;
    }

    public long initialRtoNs()
    {
        return initialRtoNs;
    }

    public TcpConfig initialRtoNs(final long rtoNs)
    {
        this.initialRtoNs = rtoNs;
        return this;
    }

    public long minRtoNs()
    {
        return minRtoNs;
    }

    public TcpConfig minRtoNs(final long rtoNs)
    {
        this.minRtoNs = rtoNs;
        return this;
    }

    public long maxRtoNs()
    {
        return maxRtoNs;
    }

    public TcpConfig maxRtoNs(final long rtoNs)
    {
        this.maxRtoNs = rtoNs;
        return this;
    }

    public long clockGranularityNs()
    {
        return clockGranularityNs;
    }

    public TcpConfig clockGranularityNs(final long granularityNs)
    {
        this.clockGranularityNs = granularityNs;
        return this;
    }

    /**
     * @return consecutive retransmission timeouts of data before the connection is dropped (RFC 9293 3.8.3 R2).
     */
    public int maxRetransmissions()
    {
        return maxRetransmissions;
    }

    public TcpConfig maxRetransmissions(final int count)
    {
        this.maxRetransmissions = count;
        return this;
    }

    public int maxSynRetransmissions()
    {
        return maxSynRetransmissions;
    }

    public TcpConfig maxSynRetransmissions(final int count)
    {
        this.maxSynRetransmissions = count;
        return this;
    }

    /**
     * @return added to the millisecond clock to make TSval (RFC 7323 5.4 recommends a random offset).
     */
    public int timestampOffset()
    {
        return timestampOffset;
    }

    public TcpConfig timestampOffset(final int offset)
    {
        this.timestampOffset = offset;
        return this;
    }

    public IsnGenerator isnGenerator()
    {
        return isnGenerator;
    }

    public TcpConfig isnGenerator(final IsnGenerator generator)
    {
        this.isnGenerator = generator;
        return this;
    }
}
