package io.dominoes.channels.aeron;

import java.util.concurrent.TimeUnit;

/**
 * Configuration both Aeron channels share: stream, frame sizes, publication kind, connect timeout
 * and the embedded driver. Setters return the concrete context so calls chain.
 *
 * @param <C> the concrete context type.
 */
public abstract class AeronContext<C extends AeronContext<C>>
{
    int subscriberCount = 1;
    int streamId;
    int termLength = 1024 * 1024;
    int mtu;
    boolean concurrentPublisher = false;
    long connectTimeoutNs;
    AeronDriverSettings driverSettings = new AeronDriverSettings();

    AeronContext(final int streamId, final int mtu, final long connectTimeoutNs)
    {
        this.streamId = streamId;
        this.mtu = mtu;
        this.connectTimeoutNs = connectTimeoutNs;
    }

    @SuppressWarnings("unchecked")
    private C self()
    {
        return (C)this;
    }

    /**
     * @param count subscribers on this side (see the concrete channel for the allowed range).
     * @return this.
     */
    public C subscriberCount(final int count)
    {
        subscriberCount = count;
        return self();
    }

    /**
     * @param id Aeron stream id; all sides must agree.
     * @return this.
     */
    public C streamId(final int id)
    {
        streamId = id;
        return self();
    }

    /**
     * @param length term length, a power of two in 64 KiB..1 GiB (Aeron's rule); the publisher
     *               may run ahead of the slowest subscriber by half of it.
     * @return this.
     */
    public C termLength(final int length)
    {
        termLength = length;
        return self();
    }

    /**
     * @param length frame length in bytes, a multiple of 32 in 64..65504; max message = mtu - 32.
     * @return this.
     */
    public C mtu(final int length)
    {
        mtu = length;
        return self();
    }

    /**
     * @param concurrent true for a publisher that several threads may use at once (Aeron
     *                   ConcurrentPublication), false for one thread at a time (Exclusive).
     * @return this.
     */
    public C concurrentPublisher(final boolean concurrent)
    {
        concurrentPublisher = concurrent;
        return self();
    }

    /**
     * @param timeoutNs how long construction waits for endpoints and subscriptions to join.
     * @return this.
     */
    public C connectTimeoutNs(final long timeoutNs)
    {
        connectTimeoutNs = timeoutNs;
        return self();
    }

    /**
     * @param settings of the embedded media driver.
     * @return this.
     */
    public C driverSettings(final AeronDriverSettings settings)
    {
        driverSettings = settings;
        return self();
    }

    /**
     * The checks both channels make: frame sizes and a positive connect timeout.
     */
    void concludeFrameAndTimeout()
    {
        AeronConnect.checkFrameSizes(termLength, mtu);
        if (connectTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("connectTimeoutNs " + connectTimeoutNs + " must be > 0");
        }
    }

    static long seconds(final int seconds)
    {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
