package io.dominoes.core.time;

import org.agrona.collections.Long2LongHashMap;

/**
 * Timers for replicated code: a binary min-heap ordered by (deadline, id), so timers with equal
 * deadlines fire in the order they were scheduled, on every replica (Agrona's timer wheel and heap
 * leave equal deadlines unordered, which would let replicas diverge). Ids come from a counter that
 * starts at 1, so replicas that schedule the same timers in the same order get the same ids.
 *
 * <p>Time is never read here: {@link #poll(long, Expiry)} is given "now", which the runtime takes from
 * the tick event being handled. Allocation-free once the arrays have grown to the peak timer count.
 *
 * <p>Not thread safe: one instance per replica, used by that replica's thread.
 */
public final class ReplicatedTimerQueue
{
    /**
     * Receives expired timers.
     */
    @FunctionalInterface
    public interface Expiry
    {
        /**
         * @param timerId     id returned by schedule.
         * @param deadlineNs  the timer's deadline.
         * @param correlation value given at schedule.
         */
        void onExpiry(long timerId, long deadlineNs, long correlation);
    }

    private static final long MISSING = -1;

    private long[] deadlines;
    private long[] ids;
    private long[] correlations;
    private int size;
    private long nextId = 1;
    private final Long2LongHashMap indexById = new Long2LongHashMap(MISSING);

    /**
     * @param initialCapacity of the heap arrays, {@code > 0}; they double when full.
     */
    public ReplicatedTimerQueue(final int initialCapacity)
    {
        if (initialCapacity <= 0)
        {
            throw new IllegalArgumentException("initialCapacity=" + initialCapacity + " must be > 0");
        }
        deadlines = new long[initialCapacity];
        ids = new long[initialCapacity];
        correlations = new long[initialCapacity];
    }

    /**
     * @param deadlineNs  replicated time at or after which the timer fires.
     * @param correlation user value handed back on expiry.
     * @return the timer id, {@code > 0}.
     */
    public long schedule(final long deadlineNs, final long correlation)
    {
        if (size == deadlines.length)
        {
            grow();
        }
        final long id = nextId++;
        int i = size++;
        deadlines[i] = deadlineNs;
        ids[i] = id;
        correlations[i] = correlation;
        indexById.put(id, i);
        siftUp(i);
        return id;
    }

    /**
     * @param timerId to cancel.
     * @return true if the timer was pending and is now cancelled.
     */
    public boolean cancel(final long timerId)
    {
        final long index = indexById.remove(timerId);
        if (MISSING == index)
        {
            return false;
        }
        removeAt((int)index);
        return true;
    }

    /**
     * Fire, in (deadline, id) order, every timer whose deadline is {@code <= nowNs}. A timer scheduled
     * from a callback with a deadline {@code <= nowNs} fires in the same poll.
     *
     * @param nowNs  replicated time.
     * @param expiry receives each expired timer after it has been removed.
     * @return number of timers fired.
     */
    public int poll(final long nowNs, final Expiry expiry)
    {
        int fired = 0;
        while (size > 0 && deadlines[0] <= nowNs)
        {
            final long id = ids[0];
            final long deadline = deadlines[0];
            final long correlation = correlations[0];
            indexById.remove(id);
            removeAt(0);
            fired++;
            expiry.onExpiry(id, deadline, correlation);
        }
        return fired;
    }

    /**
     * @return pending timers.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return earliest pending deadline, or {@link Long#MAX_VALUE} if none.
     */
    public long nextDeadlineNs()
    {
        return size > 0 ? deadlines[0] : Long.MAX_VALUE;
    }

    /**
     * Mix the pending timers into a digest (order-independent of heap layout: sums over timers).
     *
     * @return digest of (deadline, id, correlation) of all pending timers and the next id.
     */
    public long digest()
    {
        long h = nextId * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < size; i++)
        {
            h += mix(deadlines[i] ^ Long.rotateLeft(ids[i], 21) ^ Long.rotateLeft(correlations[i], 42));
        }
        return h;
    }

    private static long mix(final long v)
    {
        long z = v * 0xBF58476D1CE4E5B9L;
        z ^= z >>> 31;
        return z * 0x94D049BB133111EBL;
    }

    private void removeAt(final int i)
    {
        final int last = --size;
        if (i != last)
        {
            move(last, i);
            if (!siftUp(i))
            {
                siftDown(i);
            }
        }
    }

    private boolean less(final int a, final int b)
    {
        return deadlines[a] < deadlines[b] || (deadlines[a] == deadlines[b] && ids[a] < ids[b]);
    }

    private boolean siftUp(final int start)
    {
        int i = start;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!less(i, parent))
            {
                break;
            }
            swap(i, parent);
            i = parent;
        }
        return i != start;
    }

    private void siftDown(final int start)
    {
        int i = start;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= size)
            {
                return;
            }
            final int right = left + 1;
            final int child = right < size && less(right, left) ? right : left;
            if (!less(child, i))
            {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void move(final int from, final int to)
    {
        deadlines[to] = deadlines[from];
        ids[to] = ids[from];
        correlations[to] = correlations[from];
        indexById.put(ids[to], to);
    }

    private void swap(final int a, final int b)
    {
        final long d = deadlines[a];
        final long id = ids[a];
        final long c = correlations[a];
        deadlines[a] = deadlines[b];
        ids[a] = ids[b];
        correlations[a] = correlations[b];
        deadlines[b] = d;
        ids[b] = id;
        correlations[b] = c;
        indexById.put(ids[a], a);
        indexById.put(ids[b], b);
    }

    private void grow()
    {
        final int capacity = deadlines.length * 2;
        deadlines = java.util.Arrays.copyOf(deadlines, capacity);
        ids = java.util.Arrays.copyOf(ids, capacity);
        correlations = java.util.Arrays.copyOf(correlations, capacity);
    }
}
