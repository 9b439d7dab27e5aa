package io.dominoes.bench.cli;

import io.dominoes.tasks.examples.Fibonacci;
import io.dominoes.tasks.examples.KMeans;
import io.dominoes.tasks.examples.Knapsack;
import io.dominoes.tasks.local.TaskExecutor;
import io.dominoes.core.idle.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code ./dominoes tasks ...}: the DAG task executor's examples, in one JVM or against a task server.
 */
@Command(
    name = "tasks",
    description = "DAG task executor: run examples locally or on a task server with remote workers.",
    subcommands = {
        TasksCommand.Run.class,
        TasksServerCommand.class,
        TasksWorkerCommand.class,
        TasksCommand.CxTable.class,
        TasksKMeansCompareCommand.class,
        TasksCommand.CxCpu.class,
    })
public final class TasksCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: run, server, worker");
    }

    /**
     * {@code tasks run ...}.
     */
    @Command(name = "run", description = "Run an example job and print result and counters.",
        subcommands = { Fib.class, KMeansRun.class, KnapsackRun.class })
    public static final class Run implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        public void run()
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "an example is required: fib, kmeans, knapsack");
        }
    }

    /**
     * @param spec    command, for the error message.
     * @param name    --idle value, null for the default.
     * @param threads worker threads that will idle.
     * @return the supplier.
     * @throws CommandLine.ParameterException naming --idle, the value and the accepted names.
     */
    static Supplier<IdleStrategy> idleSupplier(final CommandLine.Model.CommandSpec spec, final String name,
        final int threads)
    {
        if (name == null)
        {
            return IdleStrategies.defaultFor(threads, Runtime.getRuntime().availableProcessors());
        }
        try
        {
            return IdleStrategies.byName(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idle: " + ex.getMessage());
        }
    }

    abstract static class LocalOptions
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--workers", defaultValue = "2", description = "worker threads (default ${DEFAULT-VALUE})")
        int workers;

        @Option(names = "--idle", description = "idle strategy of the worker threads, as the replica runtime's: " +
            IdleStrategies.NAMES + " (default: two-phase with a core per worker, else park)")
        String idle;

        /**
         * @return one idle strategy per worker thread, by core's names.
         * @throws CommandLine.ParameterException naming --idle and the accepted names.
         */
        Supplier<IdleStrategy> idleSupplier()
        {
            return TasksCommand.idleSupplier(spec, idle, workers);
        }

        PrintWriter out()
        {
            return spec.commandLine().getOut();
        }

        void checkWorkers()
        {
            if (workers < 1 || workers > 1024)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--workers must be in [1, 1024]: " + workers);
            }
        }

        void printCounters(final TaskExecutor executor, final long elapsedNs)
        {
            final PrintWriter out = out();
            out.printf("T (ms): %.3f%n", elapsedNs / 1e6);
            out.printf("tasks: %d%n", executor.tasksExecuted());
            out.printf("steals: %d%n", executor.steals());
            out.printf("re-executions: %d%n", 0);
            out.printf("duplicates dropped: %d%n", executor.duplicatesDropped());
            out.flush();
        }
    }

    /**
     * {@code tasks run fib --n N --workload-us W --workers K [--server CHANNEL]}.
     */
    @Command(name = "fib", description = "Fibonacci F(n) with W us of synthetic work per task (CX's benchmark).")
    public static final class Fib extends LocalOptions implements Callable<Integer>
    {
        @Option(names = "--n", required = true, description = "argument, 0..92")
        int n;

        @Option(names = "--workload-us", defaultValue = "0", description = "synthetic work per task in us")
        long workloadUs;

        @Option(names = "--server", description = "task server channel, e.g. aeron:udp?endpoint=127.0.0.1:40123; " +
            "without it the job runs in this JVM")
        String server;

        @Option(names = "--listen", defaultValue = "aeron:udp?endpoint=127.0.0.1:0",
            description = "channel this client receives the result on (default ${DEFAULT-VALUE})")
        String listen;

        @Option(names = "--timeout-s", defaultValue = "600", description = "give up after (remote only)")
        long timeoutS;

        public Integer call() throws Exception
        {
            if (n < 0 || n > 92)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--n must be in [0, 92]: " + n);
            }
            if (workloadUs < 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--workload-us must be >= 0: " +
                    workloadUs);
            }
            if (server != null)
            {
                TasksServerCommand.channels(spec, "--server", server);
                return TasksRemoteClient.runFib(out(), server, listen, n, workloadUs, timeoutS);
            }
            checkWorkers();
            Workload.calibrate();
            try (TaskExecutor executor = new TaskExecutor(workers, idleSupplier()))
            {
                final long start = System.nanoTime();
                final long result = executor.invoke(new Fibonacci(n, workloadUs));
                final long elapsed = System.nanoTime() - start;
                out().printf("result: %d%n", result);
                printCounters(executor, elapsed);
            }
            return 0;
        }
    }

    /**
     * {@code tasks run kmeans}.
     */
    @Command(name = "kmeans", description = "k-means over random points, one task per chunk per iteration.")
    public static final class KMeansRun extends LocalOptions implements Callable<Integer>
    {
        @Option(names = "--points", defaultValue = "100000") int points;
        @Option(names = "--dimensions", defaultValue = "4") int dimensions;
        @Option(names = "--k", defaultValue = "8") int k;
        @Option(names = "--iterations", defaultValue = "10") int iterations;
        @Option(names = "--chunk", defaultValue = "2000") int chunk;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--server", description = "task server channel(s), comma-separated; the job's tasks then " +
            "carry the seed, each worker regenerates the points once") String server;
        @Option(names = "--listen", defaultValue = "aeron:udp?endpoint=127.0.0.1:0") String listen;
        @Option(names = "--timeout-s", defaultValue = "600") long timeoutS;

        public Integer call() throws Exception
        {
            checkWorkers();
            if (points < k || k < 1 || chunk < 1 || iterations < 0 || dimensions < 1)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "need --points >= --k >= 1, " +
                    "--chunk >= 1, --iterations >= 0, --dimensions >= 1: points=" + points + " k=" + k + " chunk=" +
                    chunk + " iterations=" + iterations + " dimensions=" + dimensions);
            }
            if (server != null)
            {
                TasksServerCommand.channels(spec, "--server", server);
                final double[][] centroids = TasksRemoteClient.run(out(), server, listen,
                    KMeans.seededJob(points, dimensions, k, seed, k, iterations, chunk), timeoutS).value;
                final double[][] expected = KMeans.sequential(KMeans.points(points, dimensions, k, seed), k,
                    iterations, chunk);
                out().printf("matches sequential: %b%n", java.util.Arrays.deepEquals(expected, centroids));
                return 0;
            }
            final double[][] data = KMeans.points(points, dimensions, k, seed);
            try (TaskExecutor executor = new TaskExecutor(workers, idleSupplier()))
            {
                final long start = System.nanoTime();
                final double[][] centroids = executor.invoke(KMeans.job(data, k, iterations, chunk));
                final long elapsed = System.nanoTime() - start;
                for (int c = 0; c < centroids.length; c++)
                {
                    out().printf("centroid %d: %s%n", c, java.util.Arrays.toString(centroids[c]));
                }
                printCounters(executor, elapsed);
            }
            return 0;
        }
    }

    /**
     * {@code tasks run knapsack}.
     */
    @Command(name = "knapsack", description = "0/1 knapsack by branch and bound with a shared incumbent.")
    public static final class KnapsackRun extends LocalOptions implements Callable<Integer>
    {
        @Option(names = "--items", defaultValue = "60") int items;
        @Option(names = "--split-depth", defaultValue = "10") int splitDepth;
        @Option(names = "--seed", defaultValue = "1") long seed;

        public Integer call()
        {
            checkWorkers();
            if (items < 1 || items > 10_000)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--items must be in [1, 10000]: " + items);
            }
            final Knapsack.Instance instance = Knapsack.Instance.random(items, seed);
            final java.util.concurrent.atomic.LongAdder visited = new java.util.concurrent.atomic.LongAdder();
            try (TaskExecutor executor = new TaskExecutor(workers, idleSupplier()))
            {
                final long start = System.nanoTime();
                final long best = executor.invoke(Knapsack.job(instance, splitDepth, visited));
                final long elapsed = System.nanoTime() - start;
                out().printf("result: %d%n", best);
                out().printf("search nodes: %d%n", visited.sum());
                printCounters(executor, elapsed);
            }
            return 0;
        }
    }

    /**
     * {@code tasks cx-table}: the CX table via JMH (long: minutes per W value at large n).
     */
    @Command(name = "cx-table", description = "Run the CX Fibonacci table (JMH) and print it as Markdown.")
    public static final class CxTable implements Callable<Integer>
    {
        @Option(names = "--n", defaultValue = "10", description = "F(n) (default ${DEFAULT-VALUE})") int n;
        @Option(names = "--workloads-us", defaultValue = "0,500,1000,1500,2000,2500,3000,3500,4000,4500",
            description = "W values (default ${DEFAULT-VALUE})") String workloads;
        @Option(names = "--measurements", defaultValue = "3") int measurements;

        public Integer call() throws Exception
        {
            io.dominoes.bench.jmh.tasks.CxTableRunner.run(n, workloads.split(","), measurements, System.out);
            return 0;
        }
    }

    /**
     * {@code tasks cx-cpu}: the CX table in one JVM, interleaved rounds, min wall and median CPU time.
     */
    @Command(name = "cx-cpu", description = "CX Fibonacci table in one JVM: interleaved rounds, min wall time and " +
        "median CPU time per variant (for shared, loaded machines).")
    public static final class CxCpu implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--n", defaultValue = "10", description = "F(n) (default ${DEFAULT-VALUE})") int n;
        @Option(names = "--workloads-us", defaultValue = "0,1,10,100,500,1000,1500,2000,2500,3000,3500,4000,4500",
            split = ",", description = "W values (default ${DEFAULT-VALUE})") long[] workloads;
        @Option(names = "--rounds", defaultValue = "5") int rounds;
        @Option(names = "--idle", description = "executors' idle strategy: " + IdleStrategies.NAMES) String idle;

        public Integer call()
        {
            if (n < 1 || n > 40 || rounds < 1)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "need --n in [1, 40] and --rounds >= 1: n=" +
                    n + " rounds=" + rounds);
            }
            for (final long w : workloads)
            {
                if (w < 0)
                {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--workloads-us must be >= 0: " + w);
                }
            }
            if (idle != null)
            {
                idleSupplier(spec, idle, 2);
            }
            io.dominoes.bench.jmh.tasks.CxCpuRunner.run(n, workloads, rounds, idle, System.out);
            return 0;
        }
    }

    /**
     * Calibrate the workload loop before timing (so calibration is not part of T).
     */
    static final class Workload
    {
        static void calibrate()
        {
            io.dominoes.tasks.examples.Workload.iterationsPerUs();
        }
    }
}
