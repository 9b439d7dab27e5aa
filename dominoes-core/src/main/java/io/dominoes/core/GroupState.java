package io.dominoes.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the replicas of one group share: stop request, first failure, replicated-cursor positions (the
 * verdict gate), drain bookkeeping. Per-replica slots are 16 longs (128 bytes) apart so replicas never
 * write to the same cache line.
 */
final class GroupState
{
    static final int RUNNING = 0;
    static final int DRAIN = 1;
    static final int ABORT = 2;
    private static final int PAD = 16;

    final int replicaCount;
    volatile int stopMode = RUNNING;
    final AtomicReference<ReplicaGroupException> failure = new AtomicReference<>();
    /** Next sequence each replica's replicated cursor will handle; all below it are fully handled. */
    private final AtomicLongArray positions;
    /** Events each replica emitted into the input channel (drain accounting). */
    private final AtomicLongArray emittedToInput;
    /** publishedTotal() each replica last found itself quiescent at, -1 if never. */
    private final AtomicLongArray quiescentAt;
    final List<EventPublisher> publishers = new CopyOnWriteArrayList<>();

    GroupState(final int replicaCount)
    {
        this.replicaCount = replicaCount;
        positions = new AtomicLongArray((replicaCount + 1) * PAD);
        emittedToInput = new AtomicLongArray((replicaCount + 1) * PAD);
        quiescentAt = new AtomicLongArray((replicaCount + 1) * PAD);
        for (int r = 0; r < replicaCount; r++)
        {
            quiescentAt.set(slot(r), -1);
        }
    }

    private static int slot(final int replica)
    {
        return (replica + 1) * PAD;
    }

    void publishPosition(final int replica, final long position)
    {
        // release: everything the replica did for events < position (verdict reads included) happens-before
        // a look-ahead that acquires this value and then overwrites those events' verdict slots.
        positions.lazySet(slot(replica), position);
    }

    long minPosition()
    {
        long min = Long.MAX_VALUE;
        for (int r = 0; r < replicaCount; r++)
        {
            min = Math.min(min, positions.get(slot(r))); // acquire (volatile load), pairs with publishPosition
        }
        return min;
    }

    void emittedToInput(final int replica, final long total)
    {
        emittedToInput.lazySet(slot(replica), total);
    }

    /**
     * @return events published into the input channel through the group: publisher handles plus replica
     * emissions. Each count is raised (release) after its message was committed, so a replica that reads a
     * count (acquire) and then polls will find those messages.
     */
    long publishedTotal()
    {
        long total = 0;
        for (final EventPublisher p : publishers)
        {
            total += p.publishedCount();
        }
        for (int r = 0; r < replicaCount; r++)
        {
            total += emittedToInput.get(slot(r));
        }
        return total;
    }

    /**
     * Drain termination. A replica is locally quiescent at total {@code T} when it has handled at least
     * {@code T} events and its outbox is empty. When every replica reported the same {@code T} and the
     * total is still {@code T}, no replica has an unhandled event or an unsent emission, and as emissions
     * only come from handling events, none can appear: everyone may stop.
     */
    boolean quiescent(final int replica, final long handled, final boolean outboxEmpty)
    {
        final long total = publishedTotal();
        if (!outboxEmpty || handled < total)
        {
            return false;
        }
        quiescentAt.set(slot(replica), total);
        for (int r = 0; r < replicaCount; r++)
        {
            if (quiescentAt.get(slot(r)) != total)
            {
                return false;
            }
        }
        return publishedTotal() == total;
    }

    void fail(final ReplicaGroupException ex)
    {
        failure.compareAndSet(null, ex);
        stopMode = ABORT;
    }

    void requestStop(final int mode)
    {
        if (stopMode < mode)
        {
            stopMode = mode;
        }
    }
}
