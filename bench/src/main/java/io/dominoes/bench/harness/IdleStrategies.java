package io.dominoes.bench.harness;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The replica idle strategies the oversubscription benchmarks compare, by the names dominoes-core
 * uses (spin, yield, park, two-phase, adaptive).
 *
 * <p>Until dominoes-core's {@code io.dominoes.core.idle} strategies are merged into this branch,
 * these are Agrona stand-ins: {@code two-phase} is a {@link BackoffIdleStrategy} that spins about
 * one context switch ({@link #TWO_PHASE_SPINS} {@code onSpinWait}s, no yields) and then parks
 * {@link #PARK_NS}; {@code adaptive} is absent (it has no Agrona equivalent).
 */
public final class IdleStrategies
{
    /**
     * Park period of the blocking phase. Linux rounds it up to the timer slack (about 50 us).
     */
    public static final long PARK_NS = 1_000;

    /**
     * Spins before blocking: about 5 us of {@code Thread.onSpinWait()}, a context switch's cost.
     */
    public static final long TWO_PHASE_SPINS = 200;

    private static final Map<String, Supplier<IdleStrategy>> STRATEGIES = new LinkedHashMap<>();

    static
    {
        STRATEGIES.put("spin", BusySpinIdleStrategy::new);
        STRATEGIES.put("yield", YieldingIdleStrategy::new);
        STRATEGIES.put("park", () -> new SleepingIdleStrategy(PARK_NS));
        STRATEGIES.put("two-phase", () -> new BackoffIdleStrategy(TWO_PHASE_SPINS, 0, PARK_NS, PARK_NS));
    }

    private IdleStrategies()
    {
    }

    /**
     * @return the available names.
     */
    public static List<String> names()
    {
        return List.copyOf(STRATEGIES.keySet());
    }

    /**
     * @param name of the strategy.
     * @return a supplier of fresh instances (one per thread).
     * @throws IllegalArgumentException naming the value and the known names.
     */
    public static Supplier<IdleStrategy> supplier(final String name)
    {
        final Supplier<IdleStrategy> s = STRATEGIES.get(name);
        if (null == s)
        {
            throw new IllegalArgumentException("idle strategy '" + name + "' is not one of " + names());
        }
        return s;
    }
}
