package io.dominoes.bench.jmh.tasks;

import io.dominoes.tasks.examples.Fibonacci;
import io.dominoes.tasks.examples.Workload;
import io.dominoes.tasks.local.TaskExecutor;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;

/**
 * The CX table measured for a shared, oversubscribed machine: in one JVM, per W, the five variants (T_SEQ, executor
 * with 1 and 2 workers, ForkJoinPool(1)/(2) on the same tasks) run interleaved, round after round, so load changes
 * hit all of them alike; per variant the minimum wall time (the run least disturbed by other processes) and the
 * median CPU time (sum over every thread of this JVM, {@code ThreadMXBean}, ns resolution: the work actually done,
 * including idle spinning, whatever the load). Efficiency is reported on both.
 */
public final class CxCpuRunner
{
    private static final String[] NAMES = { "seq", "t1", "t2", "fjp1", "fjp2" };

    private CxCpuRunner()
    {
    }

    /**
     * @param n           F(n).
     * @param workloadsUs W values.
     * @param rounds      timed rounds per W (after one warm-up round).
     * @param out         where the table goes.
     */
    public static void run(final int n, final long[] workloadsUs, final int rounds, final PrintStream out)
    {
        run(n, workloadsUs, rounds, null, out);
    }

    /**
     * @param n           F(n).
     * @param workloadsUs W values.
     * @param rounds      timed rounds per W (after one warm-up round).
     * @param idle        the executors' idle strategy by core's name, null for the default.
     * @param out         where the table goes.
     */
    public static void run(final int n, final long[] workloadsUs, final int rounds, final String idle,
        final PrintStream out)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long expected = Fibonacci.sequential(n, 0);
        out.printf("F(%d), %d interleaved rounds per W after 1 warm-up round; wall = min, CPU = median (all threads " +
            "of the JVM); ms; workload %.1f loop iterations/us%n%n", n, rounds, Workload.iterationsPerUs());
        out.println("| W (us) | T_SEQ wall | T_1 wall | T_SEQ/T_1 wall | T_2 wall | T_1/T_2 wall | FJP_1 wall | " +
            "FJP_2 wall | FJP_1/FJP_2 | T_SEQ CPU | T_1 CPU | T_SEQ/T_1 CPU | T_2 CPU | FJP_1 CPU | FJP_2 CPU | " +
            "T_2 steals/run |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        final boolean pin = Boolean.getBoolean("dominoes.tasks.pin");
        out.printf("executor idle strategy: %s, workers pinned: %b%n",
            idle == null ? "default (IdleStrategies.defaultFor)" : idle, pin);
        try (TaskExecutor one = new TaskExecutor(1, idle == null ? TaskExecutor.defaultIdleStrategy(1) :
                io.dominoes.core.idle.IdleStrategies.byName(idle), pin ? TaskExecutor.allowedCpusRoundRobin(1) : null);
            TaskExecutor two = new TaskExecutor(2, idle == null ? TaskExecutor.defaultIdleStrategy(2) :
                io.dominoes.core.idle.IdleStrategies.byName(idle), pin ? TaskExecutor.allowedCpusRoundRobin(2) : null))
        {
            final ForkJoinPool poolOne = new ForkJoinPool(1);
            final ForkJoinPool poolTwo = new ForkJoinPool(2);
            try
            {
                for (final long w : workloadsUs)
                {
                    final LongSupplier[] variants = {
                        () -> Fibonacci.sequential(n, w),
                        () -> one.invoke(new Fibonacci(n, w)),
                        () -> two.invoke(new Fibonacci(n, w)),
                        () -> ForkJoinPoolAdapter.invoke(poolOne, new Fibonacci(n, w)),
                        () -> ForkJoinPoolAdapter.invoke(poolTwo, new Fibonacci(n, w)),
                    };
                    final double[][] wall = new double[variants.length][rounds];
                    final double[][] cpu = new double[variants.length][rounds];
                    final long[] steals = new long[variants.length];
                    for (int round = -1; round < rounds; round++)
                    {
                        for (int v = 0; v < variants.length; v++)
                        {
                            final long steals0 = two.steals();
                            final long cpu0 = totalCpu(threads);
                            final long t0 = System.nanoTime();
                            final long value = variants[v].getAsLong();
                            final long t1 = System.nanoTime();
                            final long cpu1 = totalCpu(threads);
                            if (value != expected)
                            {
                                throw new IllegalStateException(NAMES[v] + ": F(" + n + ") = " + value);
                            }
                            if (round >= 0)
                            {
                                steals[v] += v == 2 ? two.steals() - steals0 : 0;
                                wall[v][round] = (t1 - t0) / 1e6;
                                cpu[v][round] = (cpu1 - cpu0) / 1e6;
                            }
                        }
                    }
                    final double[] minWall = new double[variants.length];
                    final double[] medCpu = new double[variants.length];
                    for (int v = 0; v < variants.length; v++)
                    {
                        Arrays.sort(wall[v]);
                        Arrays.sort(cpu[v]);
                        minWall[v] = wall[v][0];
                        medCpu[v] = cpu[v][rounds / 2];
                    }
                    out.printf("| %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | " +
                        "%.3f | %.3f | %.3f | %.1f |%n", w, minWall[0], minWall[1], minWall[0] / minWall[1], minWall[2],
                        minWall[1] / minWall[2], minWall[3], minWall[4], minWall[3] / minWall[4], medCpu[0],
                        medCpu[1], medCpu[0] / medCpu[1], medCpu[2], medCpu[3], medCpu[4],
                        steals[2] / (double)rounds);
                    out.flush();
                }
            }
            finally
            {
                poolOne.shutdownNow();
                poolTwo.shutdownNow();
            }
        }
    }

    private static long totalCpu(final com.sun.management.ThreadMXBean threads)
    {
        long sum = 0;
        for (final long cpu : threads.getThreadCpuTime(threads.getAllThreadIds()))
        {
            if (cpu > 0)
            {
                sum += cpu;
            }
        }
        return sum;
    }
}
