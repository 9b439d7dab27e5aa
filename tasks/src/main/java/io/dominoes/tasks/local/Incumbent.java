package io.dominoes.tasks.local;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A job-wide monotonically increasing long shared by all its tasks (branch-and-bound's best value so far). Thread safe.
 */
public final class Incumbent
{
    private final AtomicLong value = new AtomicLong(Long.MIN_VALUE);
    private volatile LongConsumer onImproved;

    /**
     * @return current value, {@link Long#MIN_VALUE} when none.
     */
    public long get()
    {
        // Volatile read: pairs with the CAS in offer, so a task sees any bound raised before it read.
        return value.get();
    }

    /**
     * @param candidate new value.
     * @return true when it was greater than the current value and replaced it.
     */
    public boolean offer(final long candidate)
    {
        long current = value.get();
        while (candidate > current)
        {
            if (value.compareAndSet(current, candidate))
            {
                final LongConsumer listener = onImproved;
                if (listener != null)
                {
                    listener.accept(candidate);
                }
                return true;
            }
            current = value.get();
        }
        return false;
    }

    /**
     * @param listener called (on the improving thread) after each successful {@link #offer(long)}; for propagation
     *                 to other machines. Null removes it.
     */
    public void onImproved(final LongConsumer listener)
    {
        onImproved = listener;
    }
}
