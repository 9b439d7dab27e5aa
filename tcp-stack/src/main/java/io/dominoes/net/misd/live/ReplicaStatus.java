package io.dominoes.net.misd.live;

import io.dominoes.net.tcp.TcpState;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What each replica's copy of a live connection says about the parts of its state the application waits on:
 * the TCP state, whether the peer's FIN arrived, the error, and how many written bytes have left the send
 * buffer (acknowledged). Written by replica {@code r}'s thread only, read by the application and event-loop
 * threads. Replicas pass through the same values at the same events, so a reader that takes the minimum (or
 * "all replicas agree") sees a value the replicated state really had.
 */
final class ReplicaStatus
{
    private static final int PAD = 16; // 128 bytes between replicas: no false sharing
    private static final int WORD = 0;
    private static final int RELEASED = 1;
    private static final TcpState[] STATES = TcpState.values();

    private final int replicas;
    private final AtomicLongArray slots;

    ReplicaStatus(final int replicas)
    {
        this.replicas = replicas;
        this.slots = new AtomicLongArray((replicas + 1) * PAD);
    }

    /**
     * Called by replica {@code r} after its completion mark in the shared receive buffer was published.
     */
    void publish(final int replica, final TcpState state, final boolean remoteClosed, final int error, final long released)
    {
        final int slot = (replica + 1) * PAD;
        slots.lazySet(slot + RELEASED, released);
        // release, after the receive buffer's mark (program order of lazySets): a reader that sees remoteClosed
        // (acquire) and then loads the marks sees this replica's final in-order position.
        slots.lazySet(slot + WORD, 1L | (long)state.ordinal() << 8 | (remoteClosed ? 1L << 16 : 0) | (long)error << 24);
    }

    /**
     * @return true once every replica has reported at least once.
     */
    boolean allReported()
    {
        for (int r = 0; r < replicas; r++)
        {
            if (0 == slots.get((r + 1) * PAD + WORD))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true if every replica received the peer's FIN.
     */
    boolean allRemoteClosed()
    {
        for (int r = 0; r < replicas; r++)
        {
            if (0 == (slots.get((r + 1) * PAD + WORD) & 1L << 16))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true if every replica reported {@code state}.
     */
    boolean allIn(final TcpState state)
    {
        for (int r = 0; r < replicas; r++)
        {
            final long word = slots.get((r + 1) * PAD + WORD);
            if (0 == word || ((word >>> 8) & 0xFF) != state.ordinal())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the state replica {@code r} last reported, or null before its first report.
     */
    TcpState state(final int replica)
    {
        final long word = slots.get((replica + 1) * PAD + WORD);
        return 0 == word ? null : STATES[(int)((word >>> 8) & 0xFF)];
    }

    /**
     * @return replica {@code r}'s error code ({@code TcpSocket.ERROR_*}).
     */
    int error(final int replica)
    {
        return (int)(slots.get((replica + 1) * PAD + WORD) >>> 24);
    }

    /**
     * @return the fewest written bytes any replica has released from its send buffer.
     */
    long minReleased()
    {
        long min = Long.MAX_VALUE;
        for (int r = 0; r < replicas; r++)
        {
            min = Math.min(min, slots.get((r + 1) * PAD + RELEASED));
        }
        return min;
    }
}
