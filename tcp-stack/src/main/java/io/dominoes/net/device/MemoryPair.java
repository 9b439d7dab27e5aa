package io.dominoes.net.device;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Two in-memory devices joined by a virtual cable: a frame transmitted on one is received on the
 * other, in order, after no delay. Each direction holds a bounded number of frames; a transmit into
 * a full direction returns false (back-pressure, nothing lost). For stack-to-stack tests and
 * simulations driven by one thread.
 */
public final class MemoryPair
{
    private final End a;
    private final End b;

    /**
     * @param mtu            of both ends.
     * @param framesInFlight per direction.
     */
    public MemoryPair(final int mtu, final int framesInFlight)
    {
        final FrameQueue aToB = new FrameQueue(framesInFlight, mtu + 18);
        final FrameQueue bToA = new FrameQueue(framesInFlight, mtu + 18);
        a = new End(mtu, bToA, aToB);
        b = new End(mtu, aToB, bToA);
    }

    public Device a()
    {
        return a;
    }

    public Device b()
    {
        return b;
    }

    static final class End implements Device
    {
        private final int mtu;
        private final FrameQueue inbox;
        private final FrameQueue outbox;
        private boolean closed;

        End(final int mtu, final FrameQueue inbox, final FrameQueue outbox)
        {
            this.mtu = mtu;
            this.inbox = inbox;
            this.outbox = outbox;
        }

        /**
         * {@inheritDoc}
         */
        public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
        {
            // Every frame is due at Long.MIN_VALUE, so ties are broken by insertion: FIFO.
            final int n = inbox.poll(Long.MAX_VALUE, buffer, offset, capacity);
            return Math.max(n, 0);
        }

        /**
         * {@inheritDoc}
         */
        public boolean transmit(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
        {
            if (closed)
            {
                return false;
            }
            if (length > maxFrameLength())
            {
                throw new IllegalArgumentException("frame length=" + length + " exceeds maxFrameLength=" + maxFrameLength());
            }
            return outbox.offer(Long.MIN_VALUE, buffer, offset, length);
        }

        /**
         * {@inheritDoc}
         */
        public int mtu()
        {
            return mtu;
        }

        /**
         * {@inheritDoc}
         */
        public void close()
        {
            closed = true;
        }
    }
}
