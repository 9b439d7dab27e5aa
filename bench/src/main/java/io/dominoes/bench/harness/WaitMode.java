package io.dominoes.bench.harness;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.Locale;

/**
 * How subscribers (and a back-pressured publisher) wait in the broadcast throughput harnesses, with
 * the closest Disruptor wait strategy so the reference waits the same way.
 *
 * <p>The bench machine may have fewer cores than threads: 1 publisher + 2 spinning subscribers on
 * 2 cores is oversubscribed, and a spinning waiter then burns the time slice the thread it waits
 * for needs. {@link #AUTO} therefore spins only for one subscriber and yields for more.
 */
public enum WaitMode
{
    /**
     * {@link #SPIN} for one subscriber, {@link #YIELD} for more.
     */
    AUTO,
    /**
     * Busy spin: Agrona {@link BusySpinIdleStrategy}, Disruptor {@link BusySpinWaitStrategy}.
     */
    SPIN,
    /**
     * Spin 100 idle calls, then {@code Thread.yield()} on each: Disruptor {@link YieldingWaitStrategy}
     * and its twin for the channels, {@link SpinThenYieldIdleStrategy} (Agrona's
     * {@code YieldingIdleStrategy} would yield at once, unlike the reference).
     */
    YIELD,
    /**
     * Spin, then yield, then park: Agrona {@link BackoffIdleStrategy} (defaults), Disruptor
     * {@link SleepingWaitStrategy}.
     */
    BACKOFF;

    /**
     * @param subscribers in the topology.
     * @return the concrete mode ({@link #AUTO} resolved).
     */
    public WaitMode resolve(final int subscribers)
    {
        if (this != AUTO)
        {
            return this;
        }
        return subscribers <= 1 ? SPIN : YIELD;
    }

    /**
     * @return a new Agrona idle strategy for one thread.
     */
    public IdleStrategy newIdleStrategy()
    {
        switch (this)
        {
            case SPIN: return new BusySpinIdleStrategy();
            case YIELD: return new SpinThenYieldIdleStrategy();
            case BACKOFF: return new BackoffIdleStrategy();
            default: throw new IllegalStateException("resolve " + this + " first");
        }
    }

    /**
     * @return a new Disruptor wait strategy for the consumers.
     */
    public WaitStrategy newWaitStrategy()
    {
        switch (this)
        {
            case SPIN: return new BusySpinWaitStrategy();
            case YIELD: return new YieldingWaitStrategy();
            case BACKOFF: return new SleepingWaitStrategy();
            default: throw new IllegalStateException("resolve " + this + " first");
        }
    }

    /**
     * @param name case-insensitive.
     * @return the mode.
     * @throws IllegalArgumentException naming the value and the allowed ones.
     */
    public static WaitMode parse(final String name)
    {
        for (final WaitMode m : values())
        {
            if (m.name().equalsIgnoreCase(name))
            {
                return m;
            }
        }
        throw new IllegalArgumentException("wait mode '" + name + "' is not one of auto, spin, yield, backoff");
    }

    /**
     * @return lower-case name, as used on the command line and in JMH params.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
