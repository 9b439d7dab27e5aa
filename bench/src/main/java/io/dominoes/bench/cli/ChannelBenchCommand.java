package io.dominoes.bench.cli;

import io.dominoes.bench.harness.BenchMessage;
import io.dominoes.bench.harness.BroadcastImplementations;
import io.dominoes.bench.harness.WaitMode;
import io.dominoes.bench.jmh.channels.BroadcastThroughputBenchmark;
import io.dominoes.bench.jmh.channels.OneToManyBroadcastThroughput;
import io.dominoes.bench.jmh.channels.OneToOneBroadcastThroughput;
import io.dominoes.bench.jmh.channels.OneToTwoBroadcastThroughput;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code ./dominoes channel-bench}: a short run of the broadcast throughput benchmark (JMH, the
 * same harnesses as {@code OneToOneBroadcastThroughput} / {@code OneToTwoBroadcastThroughput}) for
 * every implementation, and a table of messages/s with each one's ratio to the Disruptor measured
 * in the same run.
 */
@Command(
    name = "channel-bench",
    mixinStandardHelpOptions = true,
    description = {
        "Broadcast throughput, 1 publisher to N checking subscribers, for each channel implementation " +
            "and the LMAX Disruptor reference (always run). About a minute with the defaults.",
        "Every subscriber checks sequence and payload of every message; a wrong answer fails the run.",
    })
public final class ChannelBenchCommand implements Callable<Integer>
{
    static final int MAX_SUBSCRIBERS = 8;
    static final int MAX_ITERATIONS = 1000;
    static final int MAX_FORKS = 10;
    static final long MIN_TIME_MS = 10;
    static final long MAX_TIME_MS = 600_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
        description = "Message size in bytes, a multiple of 8 in [16, 4096] (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--subscribers", split = ",", defaultValue = "1,2", paramLabel = "N",
        description = "Subscriber counts, comma separated, each in [1, 8] (default ${DEFAULT-VALUE}).")
    List<Integer> subscribers;

    @Option(names = "--impl", split = ",", paramLabel = "NAME",
        description = "Implementations, comma separated (default: all). The disruptor reference is always run.")
    List<String> impls;

    @Option(names = "--wait", defaultValue = "auto", paramLabel = "MODE",
        description = "How subscribers wait: auto (spin for 1 subscriber, yield for more: the bench machine has " +
            "2 cores), spin, yield, backoff (default ${DEFAULT-VALUE}).")
    String wait;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N",
        description = "Warm-up iterations per implementation, in [0, 1000] (default ${DEFAULT-VALUE}).")
    int warmupIterations;

    @Option(names = "--warmup-time", defaultValue = "1s", paramLabel = "DURATION",
        description = "Length of one warm-up iteration, e.g. 500ms, 1s (default ${DEFAULT-VALUE}).")
    String warmupTime;

    @Option(names = "--iterations", defaultValue = "2", paramLabel = "N",
        description = "Measured iterations per implementation, in [1, 1000] (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--time", defaultValue = "2s", paramLabel = "DURATION",
        description = "Length of one measured iteration, e.g. 500ms, 2s (default ${DEFAULT-VALUE}).")
    String time;

    @Option(names = "--forks", defaultValue = "1", paramLabel = "N",
        description = "JMH forks per implementation, in [0, 10]; 0 runs in this JVM (default ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Also write channel-bench.csv and channel-bench.json into DIR (created if missing).")
    Path out;

    @Override
    public Integer call() throws IOException
    {
        final Plan plan = validate();
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter outWriter = spec.commandLine().getOut();
        err.printf("channel-bench: %d-byte messages, %d warm-up x %dms + %d x %dms per run, %d fork(s), %d runs%n",
            size, warmupIterations, plan.warmupMs, iterations, plan.timeMs, forks, plan.impls.size() * subscribers.size());
        err.flush();

        final List<Row> rows = new ArrayList<>();
        int run = 0;
        for (final int n : subscribers)
        {
            final String waitMode = WaitMode.parse(wait).resolve(n).label();
            for (final String impl : plan.impls)
            {
                run++;
                err.printf("[%d/%d] 1P-%dC %-15s wait=%s ... ", run, plan.impls.size() * subscribers.size(), n, impl, waitMode);
                err.flush();
                final RunResult result = JmhRuns.runOne(options(plan, n, impl), "1P-" + n + "C " + impl);
                final Result<?> primary = result.getPrimaryResult();
                final Row row = new Row(n, impl, waitMode, primary.getScore(), primary.getScoreError());
                rows.add(row);
                err.printf("%,.0f msgs/s%n", row.msgsPerSecond);
                err.flush();
            }
        }
        for (final Row row : rows)
        {
            row.ratio = row.msgsPerSecond / reference(rows, row.subscribers).msgsPerSecond;
        }
        printTable(outWriter, rows);
        if (null != out)
        {
            write(rows);
            outWriter.println("results written to " + out.resolve("channel-bench.csv") + " and " + out.resolve("channel-bench.json"));
        }
        outWriter.flush();
        return 0;
    }

    private Plan validate()
    {
        try
        {
            BenchMessage.checkLength(size);
            for (final int n : subscribers)
            {
                if (n < 1 || n > MAX_SUBSCRIBERS)
                {
                    throw new IllegalArgumentException("--subscribers " + n + " is outside [1, " + MAX_SUBSCRIBERS + "]");
                }
            }
            WaitMode.parse(wait);
            OptionChecks.checkRange("--warmup", warmupIterations, 0, MAX_ITERATIONS);
            OptionChecks.checkRange("--iterations", iterations, 1, MAX_ITERATIONS);
            OptionChecks.checkRange("--forks", forks, 0, MAX_FORKS);
            final long warmupMs = DurationArg.parseMillis("--warmup-time", warmupTime, MIN_TIME_MS, MAX_TIME_MS);
            final long timeMs = DurationArg.parseMillis("--time", time, MIN_TIME_MS, MAX_TIME_MS);
            final List<String> known = BroadcastImplementations.names();
            final List<String> chosen = new ArrayList<>();
            for (final String name : null == impls ? known : impls)
            {
                if (!known.contains(name))
                {
                    throw new IllegalArgumentException("--impl '" + name + "' is not one of " + known);
                }
                if (!chosen.contains(name))
                {
                    chosen.add(name);
                }
            }
            // The reference goes first, so its number is known when the others finish.
            chosen.remove(BroadcastImplementations.REFERENCE);
            chosen.add(0, BroadcastImplementations.REFERENCE);
            return new Plan(Collections.unmodifiableList(chosen), warmupMs, timeMs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }


    private org.openjdk.jmh.runner.options.Options options(final Plan plan, final int n, final String impl)
    {
        final Class<? extends BroadcastThroughputBenchmark> benchmark =
            n == 1 ? OneToOneBroadcastThroughput.class : n == 2 ? OneToTwoBroadcastThroughput.class : OneToManyBroadcastThroughput.class;
        ChainedOptionsBuilder builder = new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark.getName() + ".publish") + "$")
            .param("impl", impl)
            .param("messageLength", Integer.toString(size))
            .param("waitMode", wait.toLowerCase(Locale.ROOT))
            .warmupIterations(warmupIterations)
            .warmupTime(DurationArg.toTimeValue(plan.warmupMs))
            .measurementIterations(iterations)
            .measurementTime(DurationArg.toTimeValue(plan.timeMs))
            .forks(forks)
            .shouldFailOnError(true);
        if (benchmark == OneToManyBroadcastThroughput.class)
        {
            builder = builder.param("subscriberCount", Integer.toString(n));
        }
        return JmhRuns.withProjectFlags(builder, List.of()).build();
    }

    private static Row reference(final List<Row> rows, final int subscribers)
    {
        for (final Row row : rows)
        {
            if (row.subscribers == subscribers && BroadcastImplementations.REFERENCE.equals(row.impl))
            {
                return row;
            }
        }
        throw new IllegalStateException("no " + BroadcastImplementations.REFERENCE + " result for " + subscribers + " subscribers");
    }

    static void printTable(final PrintWriter out, final List<Row> rows)
    {
        out.println();
        out.printf("%-8s %-16s %-8s %16s %14s %13s%n", "topology", "implementation", "wait", "msgs/s", "+-99.9%", "vs disruptor");
        for (final Row row : rows)
        {
            out.printf("%-8s %-16s %-8s %,16.0f %14s %13.2f%n",
                row.topology(), row.impl, row.wait, row.msgsPerSecond,
                Double.isNaN(row.error) ? "n/a" : String.format(Locale.ROOT, "%,.0f", row.error), row.ratio);
        }
    }

    private void write(final List<Row> rows) throws IOException
    {
        Files.createDirectories(out);
        final StringBuilder csv = new StringBuilder("topology,subscribers,implementation,wait,message_bytes,msgs_per_s,error_99_9,ratio_to_disruptor\n");
        final StringBuilder json = new StringBuilder("{\n  \"benchmark\": \"channel-bench\",\n  \"message_bytes\": " + size +
            ",\n  \"warmup_iterations\": " + warmupIterations + ",\n  \"warmup_time\": \"" + warmupTime + "\",\n  \"iterations\": " +
            iterations + ",\n  \"time\": \"" + time + "\",\n  \"forks\": " + forks + ",\n  \"results\": [\n");
        for (int i = 0; i < rows.size(); i++)
        {
            final Row r = rows.get(i);
            csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%.1f,%s,%.4f%n",
                r.topology(), r.subscribers, r.impl, r.wait, size, r.msgsPerSecond, Double.isNaN(r.error) ? "" : String.format(Locale.ROOT, "%.1f", r.error), r.ratio));
            json.append(String.format(Locale.ROOT,
                "    {\"topology\": \"%s\", \"subscribers\": %d, \"implementation\": \"%s\", \"wait\": \"%s\", " +
                    "\"msgs_per_s\": %.1f, \"error_99_9\": %s, \"ratio_to_disruptor\": %.4f}%s%n",
                r.topology(), r.subscribers, r.impl, r.wait, r.msgsPerSecond,
                Double.isNaN(r.error) ? "null" : String.format(Locale.ROOT, "%.1f", r.error), r.ratio, i + 1 < rows.size() ? "," : ""));
        }
        json.append("  ]\n}\n");
        Files.writeString(out.resolve("channel-bench.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("channel-bench.json"), json, StandardCharsets.UTF_8);
    }

    private static final class Plan
    {
        final List<String> impls;
        final long warmupMs;
        final long timeMs;

        Plan(final List<String> impls, final long warmupMs, final long timeMs)
        {
            this.impls = impls;
            this.warmupMs = warmupMs;
            this.timeMs = timeMs;
        }
    }

    static final class Row
    {
        final int subscribers;
        final String impl;
        final String wait;
        final double msgsPerSecond;
        final double error;
        double ratio;

        Row(final int subscribers, final String impl, final String wait, final double msgsPerSecond, final double error)
        {
            this.subscribers = subscribers;
            this.impl = impl;
            this.wait = wait;
            this.msgsPerSecond = msgsPerSecond;
            this.error = error;
        }

        String topology()
        {
            return "1P-" + subscribers + "C";
        }
    }
}
