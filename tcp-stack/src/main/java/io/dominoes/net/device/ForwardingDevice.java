package io.dominoes.net.device;

/**
 * A {@link Device} that wraps another and passes its link properties through (MTU, receive capacity, where
 * the sender left a partial checksum), so a wrapper that only watches or redirects frames (a capture) states
 * only what it changes.
 */
abstract class ForwardingDevice implements Device
{
    protected final Device inner;

    protected ForwardingDevice(final Device inner)
    {
        this.inner = inner;
    }

    /**
     * {@inheritDoc}
     */
    public int mtu()
    {
        return inner.mtu();
    }

    /**
     * {@inheritDoc}
     */
    public int maxReceiveFrameLength()
    {
        return inner.maxReceiveFrameLength();
    }

    /**
     * {@inheritDoc}
     */
    public int partialChecksumStart()
    {
        return inner.partialChecksumStart();
    }

    /**
     * {@inheritDoc}
     */
    public int partialChecksumOffset()
    {
        return inner.partialChecksumOffset();
    }
}
