package io.dominoes.bench.jmh.tasks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@link CxFibBenchmark} through JMH and prints CX's table as Markdown: per workload W, T_SEQ, T_1, efficiency
 * T_SEQ/T_1, T_2, speedup T_1/T_2, and ForkJoinPool(1)/(2) on the same tasks with its own speedup.
 */
public final class CxTableRunner
{
    private CxTableRunner()
    {
    }

    /**
     * @param n            F(n).
     * @param workloadsUs  W values in microseconds.
     * @param measurements measurement iterations (single shot each).
     * @param out          where the table goes.
     * @throws RunnerException if JMH fails.
     */
    public static void run(final int n, final String[] workloadsUs, final int measurements, final PrintStream out)
        throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(CxFibBenchmark.class.getName())
            .param("n", Integer.toString(n))
            .param("workloadUs", workloadsUs)
            .measurementIterations(measurements)
            // Calibrate once here: every fork (T_SEQ, T_1, T_2, FJP) then burns the same iterations for W.
            .jvmArgsAppend(with(jvmFlags(), "-D" + io.dominoes.tasks.examples.Workload.PROPERTY + "=" +
                io.dominoes.tasks.examples.Workload.iterationsPerUs()));
        final Collection<RunResult> results = new Runner(options.build()).run();
        final Map<Long, Map<String, Double>> table = new TreeMap<>();
        for (final RunResult result : results)
        {
            final long w = Long.parseLong(result.getParams().getParam("workloadUs"));
            final String label = result.getParams().getBenchmark();
            final String method = label.substring(label.lastIndexOf('.') + 1);
            table.computeIfAbsent(w, k -> new TreeMap<>()).put(method, result.getPrimaryResult().getScore());
        }
        out.printf("F(%d), times in ms (JMH single shot, mean of %d), workload %.1f loop iterations/us%n%n", n,
            measurements, io.dominoes.tasks.examples.Workload.iterationsPerUs());
        out.println("| W (us) | T_SEQ | T_1 | T_SEQ/T_1 | T_2 | T_1/T_2 | FJP_1 | FJP_2 | FJP_1/FJP_2 |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (final Map.Entry<Long, Map<String, Double>> row : table.entrySet())
        {
            final Map<String, Double> t = row.getValue();
            out.printf("| %d | %.2f | %.2f | %.3f | %.2f | %.3f | %.2f | %.2f | %.3f |%n",
                row.getKey(), t.get("tSeq"), t.get("t1"), t.get("tSeq") / t.get("t1"), t.get("t2"),
                t.get("t1") / t.get("t2"), t.get("fjp1"), t.get("fjp2"), t.get("fjp1") / t.get("fjp2"));
        }
    }

    /**
     * @param args [n] [comma-separated W list] [measurements].
     * @throws RunnerException if JMH fails.
     */
    public static void main(final String[] args) throws RunnerException
    {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 10,
            args.length > 1 ? args[1].split(",") : new String[]{
                "0", "500", "1000", "1500", "2000", "2500", "3000", "3500", "4000", "4500" },
            args.length > 2 ? Integer.parseInt(args[2]) : 3,
            System.out);
    }

    private static String[] with(final String[] flags, final String extra)
    {
        final String[] all = java.util.Arrays.copyOf(flags, flags.length + 1);
        all[flags.length] = extra;
        return all;
    }

    static String[] jvmFlags()
    {
        try (InputStream in = CxTableRunner.class.getResourceAsStream("/dominoes-jvm.flags"))
        {
            if (in == null)
            {
                return new String[0];
            }
            final String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return flags.isEmpty() || flags.startsWith("${") ? new String[0] : flags.split("\\s+");
        }
        catch (final IOException ex)
        {
            return new String[0];
        }
    }
}
