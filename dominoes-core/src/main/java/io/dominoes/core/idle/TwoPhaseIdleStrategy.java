package io.dominoes.core.idle;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Fixed two-phase waiting (implicit coscheduling): spin for a fixed time, by default one measured
 * context switch ({@link ContextSwitchCalibrator}), then block by parking with exponential back-off
 * from {@code minParkNs} to {@code maxParkNs}. A wait shorter than the spin costs no switch; a longer
 * one costs at most about twice the optimum (the spin plus the switch), the classic 2-competitive
 * bound.
 *
 * <p>Not thread safe: one instance per thread.
 */
public final class TwoPhaseIdleStrategy implements IdleStrategy
{
    private final long spinNs;
    private final long minParkNs;
    private final long maxParkNs;
    private long idleStartNs = -1;
    private long parkNs;

    /**
     * Spin for one measured context switch, then park from 1 us up to 1 ms.
     */
    public TwoPhaseIdleStrategy()
    {
        this(ContextSwitchCalibrator.contextSwitchNs(), 1_000, 1_000_000);
    }

    /**
     * @param spinNs    time to spin before blocking, {@code >= 0}.
     * @param minParkNs first park period, {@code > 0}.
     * @param maxParkNs longest park period, {@code >= minParkNs}.
     */
    public TwoPhaseIdleStrategy(final long spinNs, final long minParkNs, final long maxParkNs)
    {
        if (spinNs < 0 || minParkNs <= 0 || maxParkNs < minParkNs)
        {
            throw new IllegalArgumentException(
                "need spinNs >= 0, 0 < minParkNs <= maxParkNs: spinNs=" + spinNs + " minParkNs=" + minParkNs +
                " maxParkNs=" + maxParkNs);
        }
        this.spinNs = spinNs;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.parkNs = minParkNs;
    }

    /**
     * @return the spin phase length in ns.
     */
    public long spinNs()
    {
        return spinNs;
    }

    /**
     * {@inheritDoc}
     */
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void idle()
    {
        final long now = System.nanoTime();
        if (idleStartNs < 0)
        {
            idleStartNs = now;
        }
        if (now - idleStartNs < spinNs)
        {
            Thread.onSpinWait();
        }
        else
        {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs << 1, maxParkNs);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void reset()
    {
        idleStartNs = -1;
        parkNs = minParkNs;
    }

    /**
     * {@inheritDoc}
     */
    public String alias()
    {
        return "two-phase";
    }

    public String toString()
    {
        return "TwoPhaseIdleStrategy{spinNs=" + spinNs + ", minParkNs=" + minParkNs + ", maxParkNs=" + maxParkNs + '}';
    }
}
