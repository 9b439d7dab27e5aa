package io.dominoes.core.idle;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.function.Supplier;

/**
 * Idle strategies by name, for CLIs and configuration, and the default choice.
 *
 * <table>
 *   <caption>names</caption>
 *   <tr><td>spin</td><td>{@link BusySpinIdleStrategy}: only with a core per spinning thread</td></tr>
 *   <tr><td>yield</td><td>{@link YieldingIdleStrategy}</td></tr>
 *   <tr><td>park</td><td>park 1 us doubling to 1 ms ({@link BackoffIdleStrategy} with 0 spins, 0 yields)</td></tr>
 *   <tr><td>two-phase</td><td>{@link TwoPhaseIdleStrategy}: spin one measured context switch, then park</td></tr>
 *   <tr><td>adaptive</td><td>{@link AdaptiveSpinIdleStrategy}: spin learned from observed waits, then park</td></tr>
 * </table>
 */
public final class IdleStrategies
{
    /**
     * Names accepted by {@link #byName(String)}.
     */
    public static final String NAMES = "spin|yield|park|two-phase|adaptive";

    private IdleStrategies()
    {
    }

    /**
     * @param name one of {@link #NAMES}.
     * @return a supplier of fresh instances (one per thread).
     * @throws IllegalArgumentException naming the value and the accepted names.
     */
    public static Supplier<IdleStrategy> byName(final String name)
    {
        if (null == name)
        {
            throw new IllegalArgumentException("idle strategy name is null, expected " + NAMES);
        }
        switch (name)
        {
            case "spin":
                return BusySpinIdleStrategy::new;
            case "yield":
                return YieldingIdleStrategy::new;
            case "park":
                return IdleStrategies::park;
            case "two-phase":
                return TwoPhaseIdleStrategy::new;
            case "adaptive":
                return AdaptiveSpinIdleStrategy::new;
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "', expected " + NAMES);
        }
    }

    /**
     * @return parks 1 us doubling to 1 ms (Agrona back-off with no spin and no yield phase).
     */
    public static IdleStrategy park()
    {
        return new BackoffIdleStrategy(0, 0, 1_000, 1_000_000);
    }

    /**
     * The default for a set of threads that wait: with a core for each ({@code threads <= cores}) the
     * two-phase strategy (spins about one context switch, then parks); when threads outnumber cores, a
     * spinning thread steals the core the thread it waits for needs (on 2 cores, three spinning threads
     * make a channel 5-50x slower), so the default then never spins: {@link #park()}.
     *
     * @param threads that will wait concurrently.
     * @param cores   available, e.g. {@link Runtime#availableProcessors()}.
     * @return a supplier of fresh instances.
     */
    public static Supplier<IdleStrategy> defaultFor(final int threads, final int cores)
    {
        return threads <= cores ? TwoPhaseIdleStrategy::new : IdleStrategies::park;
    }
}
