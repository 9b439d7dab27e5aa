package io.dominoes.bench.harness;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sense-reversing barrier whose waiters wait with an {@link IdleStrategy}: the barrier of a
 * bulk-synchronous superstep, where the cost of waiting is exactly what the idle strategy decides
 * (spin, yield, park, spin-then-park). Reusable; parties fixed.
 */
public final class SuperstepBarrier
{
    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile long generation;

    /**
     * @param parties threads that must arrive, {@code >= 1}.
     */
    public SuperstepBarrier(final int parties)
    {
        if (parties < 1)
        {
            throw new IllegalArgumentException("parties " + parties + " must be >= 1");
        }
        this.parties = parties;
    }

    /**
     * Arrive and wait until every party has arrived at this superstep.
     *
     * @param idle    how to wait.
     * @param running checked while waiting; when it turns false the wait ends early.
     * @return the generation that completed, or -1 if stopped.
     */
    public long await(final IdleStrategy idle, final java.util.function.BooleanSupplier running)
    {
        // Acquire: read the generation before arriving, so a release that happens after our arrival
        // is seen as a change.
        final long gen = generation;
        if (arrived.incrementAndGet() == parties)
        {
            // Last to arrive. Reset the count before the volatile generation store (release): a
            // waiter that sees the new generation (acquire) and arrives again sees count 0.
            arrived.set(0);
            generation = gen + 1;
            return gen;
        }
        idle.reset();
        while (generation == gen)
        {
            if (!running.getAsBoolean())
            {
                return -1;
            }
            idle.idle();
        }
        return gen;
    }

    /**
     * @return completed supersteps.
     */
    public long generation()
    {
        return generation;
    }
}
