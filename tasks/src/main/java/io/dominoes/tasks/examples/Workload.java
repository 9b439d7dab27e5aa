package io.dominoes.tasks.examples;

/**
 * Synthetic CPU work of a given number of microseconds, done by a calibrated loop (not sleep), so a task with
 * workload W keeps a core busy for about W us like real computation would. Calibrated once per JVM on first use.
 */
public final class Workload
{
    private static volatile double iterationsPerUs;
    /** Written only on an impossible value, so the JIT must keep the loop's result. */
    static long blackhole;

    private Workload()
    {
    }

    /**
     * Burn about {@code us} microseconds of CPU on the calling thread.
     *
     * @param us microseconds, 0 or less does nothing.
     */
    public static void burn(final long us)
    {
        if (us > 0)
        {
            final long x = spin((long)(us * iterationsPerUs()));
            if (x == 0x5DEECE66DL)
            {
                blackhole = x;
            }
        }
    }

    /**
     * @return calibrated loop iterations per microsecond on this JVM.
     */
    public static double iterationsPerUs()
    {
        double value = iterationsPerUs;
        if (value == 0)
        {
            final String given = System.getProperty(PROPERTY);
            value = given != null ? parse(given) : calibrate();
            iterationsPerUs = value;
        }
        return value;
    }

    /**
     * System property that fixes the rate instead of calibrating: a benchmark that compares runs in several JVMs
     * (JMH forks, worker processes) calibrates once and passes the rate on, so W means the same work in each.
     */
    public static final String PROPERTY = "dominoes.workload.iterationsPerUs";

    private static double parse(final String given)
    {
        final double value;
        try
        {
            value = Double.parseDouble(given);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(PROPERTY + "=" + given + " is not a number", ex);
        }
        if (!(value > 0 && value < 1e6))
        {
            throw new IllegalArgumentException(PROPERTY + "=" + given + " must be in (0, 1e6)");
        }
        return value;
    }

    private static synchronized double calibrate()
    {
        if (iterationsPerUs != 0)
        {
            return iterationsPerUs;
        }
        long sink = 0;
        final long iterations = 2_000_000;
        for (int i = 0; i < 10; i++)
        {
            sink += spin(iterations);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++)
        {
            final long start = System.nanoTime();
            sink += spin(iterations);
            best = Math.min(best, System.nanoTime() - start);
        }
        if (sink == 0x5DEECE66DL)
        {
            blackhole = sink;
        }
        // Fastest of several runs: the loop's speed when it has the core (others' load only stretches wall time).
        return iterations * 1_000.0 / Math.max(1, best);
    }

    private static long spin(final long iterations)
    {
        // A dependent chain of multiply-adds (an LCG): no vectorisation, no shortcut, one step per iteration.
        long x = 0x2545F4914F6CDD1DL;
        for (long i = 0; i < iterations; i++)
        {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
