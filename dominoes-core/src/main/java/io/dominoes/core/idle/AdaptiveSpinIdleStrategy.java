package io.dominoes.core.idle;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Adaptive two-phase waiting: like {@link TwoPhaseIdleStrategy}, but the spin length is learned from the
 * waits this thread actually sees. Each completed wait (first idle call to the next call with work) is
 * folded into an exponentially weighted mean ({@code mean += (wait - mean) / 8}). If the mean wait is
 * at most {@code maxSpinNs} (by default two context switches), spinning for about that wait catches
 * most of them, so the spin becomes {@code min(2 * mean, maxSpinNs)}; if waits are typically longer,
 * spinning only burns a core another thread could use, so the spin drops to {@code minSpinNs}.
 *
 * <p>Between spinning and parking there is a <em>yield</em> phase learned the same way
 * ({@code min(2 * mean, maxYieldNs)}, or nothing when waits are longer than {@code maxYieldNs}). The block
 * phase of implicit coscheduling assumes the waker wakes the sleeper; a channel has no such wake-up, so a
 * park is a timed sleep whose real length is the kernel's timer slack (~50 us) or more. When threads
 * outnumber cores, {@code Thread.yield()} hands the core to a runnable thread just as blocking would, yet
 * notices the event at the next time slice instead of after a sleep: in the oversubscribed
 * bulk-synchronous benchmark this took adaptive from 0.64 to ~1.0 of the best strategy
 * (docs/results/channels.md). When nothing else is runnable the yields return at once, which is the
 * spinning the learned mean says is worth it, and long waits still end in parks.
 *
 * <p>Not thread safe: one instance per thread.
 */
public final class AdaptiveSpinIdleStrategy implements IdleStrategy
{
    private final long minSpinNs;
    private final long maxSpinNs;
    private final long minParkNs;
    private final long maxParkNs;
    private final long maxYieldNs;
    private long meanWaitNs;
    private long spinNs;
    private long yieldNs;
    private long idleStartNs = -1;
    private long parkNs;

    /**
     * Spin between 0 and two measured context switches, yield up to 500 us, park from 1 us up to 1 ms.
     */
    public AdaptiveSpinIdleStrategy()
    {
        this(0, 2 * ContextSwitchCalibrator.contextSwitchNs(), 500_000, 1_000, 1_000_000);
    }

    /**
     * Without a yield phase: spin, then park.
     *
     * @param minSpinNs spin used when waits are long, {@code >= 0}.
     * @param maxSpinNs longest spin, {@code >= minSpinNs}.
     * @param minParkNs first park period, {@code > 0}.
     * @param maxParkNs longest park period, {@code >= minParkNs}.
     */
    public AdaptiveSpinIdleStrategy(final long minSpinNs, final long maxSpinNs, final long minParkNs, final long maxParkNs)
    {
        this(minSpinNs, maxSpinNs, 0, minParkNs, maxParkNs);
    }

    /**
     * @param minSpinNs  spin used when waits are long, {@code >= 0}.
     * @param maxSpinNs  longest spin, {@code >= minSpinNs}.
     * @param maxYieldNs longest yield phase after the spin, {@code >= 0} (0: none).
     * @param minParkNs  first park period, {@code > 0}.
     * @param maxParkNs  longest park period, {@code >= minParkNs}.
     */
    public AdaptiveSpinIdleStrategy(
        final long minSpinNs, final long maxSpinNs, final long maxYieldNs, final long minParkNs, final long maxParkNs)
    {
        if (minSpinNs < 0 || maxSpinNs < minSpinNs || maxYieldNs < 0 || minParkNs <= 0 || maxParkNs < minParkNs)
        {
            throw new IllegalArgumentException("need 0 <= minSpinNs <= maxSpinNs, maxYieldNs >= 0, " +
                "0 < minParkNs <= maxParkNs: minSpinNs=" + minSpinNs + " maxSpinNs=" + maxSpinNs +
                " maxYieldNs=" + maxYieldNs + " minParkNs=" + minParkNs + " maxParkNs=" + maxParkNs);
        }
        this.maxYieldNs = maxYieldNs;
        this.minSpinNs = minSpinNs;
        this.maxSpinNs = maxSpinNs;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.spinNs = maxSpinNs;
        this.yieldNs = maxYieldNs;
        this.meanWaitNs = maxSpinNs / 2;
        this.parkNs = minParkNs;
    }

    /**
     * @return the spin length currently used, in ns.
     */
    public long spinNs()
    {
        return spinNs;
    }

    /**
     * @return the yield phase currently used after the spin, in ns.
     */
    public long yieldNs()
    {
        return yieldNs;
    }

    /**
     * @return the learned mean wait, in ns.
     */
    public long meanWaitNs()
    {
        return meanWaitNs;
    }

    /**
     * Fold one observed wait into the mean and recompute the spin. Public so the policy can be tested
     * with waits given by hand.
     *
     * @param waitNs length of a completed wait.
     */
    public void onWaitCompleted(final long waitNs)
    {
        meanWaitNs += (waitNs - meanWaitNs) >> 3;
        spinNs = meanWaitNs <= maxSpinNs ? Math.max(minSpinNs, Math.min(2 * meanWaitNs, maxSpinNs)) : minSpinNs;
        yieldNs = meanWaitNs <= maxYieldNs ? Math.min(2 * meanWaitNs, maxYieldNs) : 0;
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
        final long waitedNs = now - idleStartNs;
        if (waitedNs < spinNs)
        {
            Thread.onSpinWait();
        }
        else if (waitedNs < spinNs + yieldNs)
        {
            Thread.yield();
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
        if (idleStartNs >= 0)
        {
            onWaitCompleted(System.nanoTime() - idleStartNs);
            idleStartNs = -1;
        }
        parkNs = minParkNs;
    }

    /**
     * {@inheritDoc}
     */
    public String alias()
    {
        return "adaptive";
    }

    public String toString()
    {
        return "AdaptiveSpinIdleStrategy{spinNs=" + spinNs + ", yieldNs=" + yieldNs + ", meanWaitNs=" + meanWaitNs + '}';
    }
}
