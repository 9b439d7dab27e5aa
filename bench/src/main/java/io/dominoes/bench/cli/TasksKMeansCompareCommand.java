package io.dominoes.bench.cli;

import io.dominoes.tasks.examples.KMeans;
import io.dominoes.tasks.local.TaskExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

/**
 * {@code ./dominoes tasks kmeans-compare}: k-means on the executor against the same algorithm on parallel streams
 * (in a {@code ForkJoinPool} of the same thread count), same data, same chunks, in one run; wall time and process
 * CPU time per run, the median of the timed runs after warm-up runs. Every result is checked bit for bit against
 * the sequential code.
 */
@Command(name = "kmeans-compare", description = "k-means: executor vs parallel streams, 1 and 2 threads, same data.")
public final class TasksKMeansCompareCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--points", defaultValue = "200000") int points;
    @Option(names = "--dimensions", defaultValue = "4") int dimensions;
    @Option(names = "--k", defaultValue = "8") int k;
    @Option(names = "--iterations", defaultValue = "10") int iterations;
    @Option(names = "--chunk", defaultValue = "5000") int chunk;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--threads", defaultValue = "1,2", split = ",") int[] threads;
    @Option(names = "--warmup", defaultValue = "3") int warmup;
    @Option(names = "--runs", defaultValue = "5") int runs;

    public Integer call() throws Exception
    {
        if (points < k || k < 1 || chunk < 1 || iterations < 1 || dimensions < 1 || runs < 1 || warmup < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "need --points >= --k >= 1, --chunk >= 1, --iterations >= 1, --dimensions >= 1, --runs >= 1, " +
                "--warmup >= 0: points=" + points + " k=" + k + " chunk=" + chunk + " iterations=" + iterations +
                " dimensions=" + dimensions + " runs=" + runs + " warmup=" + warmup);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final double[][] data = KMeans.points(points, dimensions, k, seed);
        final double[][] expected = KMeans.sequential(data, k, iterations, chunk);
        out.printf("k-means %d points x %d dims, k=%d, %d iterations, chunk %d (%d tasks/iteration); median of %d " +
            "runs after %d warm-up; ms wall / ms process CPU%n%n", points, dimensions, k, iterations, chunk,
            (points + chunk - 1) / chunk, runs, warmup);
        out.println("| threads | executor wall | executor CPU | streams wall | streams CPU | executor/streams wall |");
        out.println("|---:|---:|---:|---:|---:|---:|");
        for (final int t : threads)
        {
            if (t < 1 || t > 1024)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be in [1, 1024]: " + t);
            }
            final double[] executor;
            try (TaskExecutor ex = new TaskExecutor(t))
            {
                executor = time(() -> ex.invoke(KMeans.job(data, k, iterations, chunk)), expected);
            }
            final ForkJoinPool pool = new ForkJoinPool(t);
            final double[] streams;
            try
            {
                streams = time(() -> pool.submit(() -> KMeans.parallelStreams(data, k, iterations, chunk)).get(),
                    expected);
            }
            finally
            {
                pool.shutdown();
            }
            out.printf("| %d | %.1f | %.1f | %.1f | %.1f | %.3f |%n", t, executor[0], executor[1], streams[0],
                streams[1], executor[0] / streams[0]);
            out.flush();
        }
        return 0;
    }

    private interface Job
    {
        double[][] run() throws Exception;
    }

    private double[] time(final Job job, final double[][] expected) throws Exception
    {
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        final double[] wall = new double[runs];
        final double[] cpu = new double[runs];
        for (int i = -warmup; i < runs; i++)
        {
            final long cpu0 = os.getProcessCpuTime();
            final long t0 = System.nanoTime();
            final double[][] result = job.run();
            final long t1 = System.nanoTime();
            final long cpu1 = os.getProcessCpuTime();
            for (int c = 0; c < expected.length; c++)
            {
                if (!Arrays.equals(expected[c], result[c]))
                {
                    throw new IllegalStateException("centroid " + c + " differs from the sequential result");
                }
            }
            if (i >= 0)
            {
                wall[i] = (t1 - t0) / 1e6;
                cpu[i] = (cpu1 - cpu0) / 1e6;
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[]{ wall[runs / 2], cpu[runs / 2] };
    }
}
