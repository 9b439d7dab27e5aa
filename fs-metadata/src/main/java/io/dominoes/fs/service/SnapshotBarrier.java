package io.dominoes.fs.service;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops every replica at one point of the channel order so another thread can read all replicas'
 * states for a snapshot. The snapshotting thread publishes a replicated SNAPSHOT event while holding
 * the sequencer lock (no mutation can follow it in the channel), waits until every replica has
 * {@link #arriveAndAwait arrived} at it, writes the snapshot, and {@link #release releases} them.
 *
 * <p>Memory ordering: a replica's writes to its state happen before its {@code countDown} on
 * {@code arrived} (a release); the snapshot thread's {@code await} on it is the matching acquire, so
 * it reads every replica's state as of the barrier. Replicas resume only after {@code done} is counted
 * down, after the snapshot thread's last read, so no replica writes while it is read.
 *
 * <p>One barrier is used at a time (the sequencer lock serialises snapshots); {@link #reset} prepares
 * the next round before its event is published.
 */
final class SnapshotBarrier
{
    private final int parties;
    private final io.dominoes.fs.state.FsState[] states;
    private volatile CountDownLatch arrived;
    private volatile CountDownLatch done;
    private volatile boolean cancelled;

    SnapshotBarrier(final int parties)
    {
        this.parties = parties;
        this.states = new io.dominoes.fs.state.FsState[parties];
        reset();
    }

    void reset()
    {
        arrived = new CountDownLatch(parties);
        done = new CountDownLatch(1);
    }

    /**
     * Called by each replica's SNAPSHOT handler: hand over its state, arrive, then wait until the
     * snapshot is written.
     */
    void arriveAndAwait(final int replicaIndex, final io.dominoes.fs.state.FsState state)
    {
        states[replicaIndex] = state; // published by the countDown below
        final CountDownLatch d = done;
        arrived.countDown();
        try
        {
            while (!cancelled && !d.await(10, TimeUnit.MILLISECONDS))
            {
                Thread.onSpinWait();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replica interrupted at a snapshot barrier", ex);
        }
    }

    /**
     * Wait until every replica has arrived.
     *
     * @param failed checked while waiting, so a dead group fails the snapshot instead of hanging it.
     * @return false if {@code failed} reported true first.
     */
    boolean awaitArrivals(final java.util.function.BooleanSupplier failed)
    {
        try
        {
            while (!arrived.await(10, TimeUnit.MILLISECONDS))
            {
                if (failed.getAsBoolean())
                {
                    return false;
                }
            }
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for replicas at a snapshot barrier", ex);
        }
    }

    /**
     * @param replicaIndex a replica that has arrived (after {@link #awaitArrivals} returned true).
     * @return its state, to be read only until {@link #release}.
     */
    io.dominoes.fs.state.FsState state(final int replicaIndex)
    {
        return states[replicaIndex];
    }

    void release()
    {
        done.countDown();
    }

    /**
     * Release every replica waiting now or later (the service is closing or failed).
     */
    void cancel()
    {
        cancelled = true;
        done.countDown();
    }
}
