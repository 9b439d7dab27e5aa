package io.dominoes.bench.harness;

import org.agrona.concurrent.IdleStrategy;

import java.util.List;
import java.util.function.Supplier;

/**
 * The replica idle strategies the oversubscription benchmarks compare: dominoes-core's
 * ({@link io.dominoes.core.idle.IdleStrategies}: spin, yield, park, two-phase, adaptive), so the
 * benchmarks measure exactly what replicas run with.
 */
public final class IdleStrategies
{
    private static final List<String> NAMES = List.of(io.dominoes.core.idle.IdleStrategies.NAMES.split("\\|"));

    private IdleStrategies()
    {
    }

    /**
     * @return the available names.
     */
    public static List<String> names()
    {
        return NAMES;
    }

    /**
     * @param name of the strategy.
     * @return a supplier of fresh instances (one per thread).
     * @throws IllegalArgumentException naming the value and the known names.
     */
    public static Supplier<IdleStrategy> supplier(final String name)
    {
        return io.dominoes.core.idle.IdleStrategies.byName(name);
    }
}
