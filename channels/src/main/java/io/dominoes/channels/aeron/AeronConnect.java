package io.dominoes.channels.aeron;

import io.aeron.Publication;
import io.aeron.logbuffer.FrameDescriptor;
import org.agrona.BitUtil;

import java.util.concurrent.locks.LockSupport;

/**
 * Shared set-up steps of the Aeron channels: validating frame sizes and waiting for subscriptions to
 * join before anything is published (a subscription that joins late starts at the publication's
 * current position and would miss earlier messages).
 */
final class AeronConnect
{
    /**
     * Aeron's ceiling for an MTU (largest UDP payload, aligned down to a frame boundary).
     */
    static final int MAX_MTU = 65504;

    private static final long PARK_NS = 1_000_000L;

    private AeronConnect()
    {
    }

    static void checkFrameSizes(final int termLength, final int mtu)
    {
        if (termLength < 64 * 1024 || termLength > 1024 * 1024 * 1024 || !BitUtil.isPowerOfTwo(termLength))
        {
            throw new IllegalArgumentException(
                "termLength " + termLength + " must be a power of two in 65536..1073741824");
        }
        if (mtu < 2 * FrameDescriptor.FRAME_ALIGNMENT || mtu > MAX_MTU || 0 != (mtu % FrameDescriptor.FRAME_ALIGNMENT))
        {
            throw new IllegalArgumentException(
                "mtu " + mtu + " must be a multiple of 32 in 64.." + MAX_MTU);
        }
        if (mtu > termLength / 8)
        {
            throw new IllegalArgumentException("mtu " + mtu + " must be <= termLength/8 = " + termLength / 8);
        }
    }

    /**
     * Wait (parking, never spinning) until the publication is connected and every subscriber's
     * subscription has an image.
     */
    static void awaitImages(final Publication publication, final AeronSubscriber[] subscribers, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (!allJoined(publication, subscribers))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("Aeron subscriptions did not join within " + timeoutNs +
                    " ns: publication " + publication.channel() + " connected=" + publication.isConnected());
            }
            LockSupport.parkNanos(PARK_NS);
        }
    }

    private static boolean allJoined(final Publication publication, final AeronSubscriber[] subscribers)
    {
        if (null != publication && !publication.isConnected())
        {
            return false;
        }
        for (final AeronSubscriber s : subscribers)
        {
            if (s.subscription().imageCount() < 1)
            {
                return false;
            }
        }
        return true;
    }
}
