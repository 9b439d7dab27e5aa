package io.dominoes.bench.cli;

import io.dominoes.bench.experiments.tcp.TcpReceiveBench;
import io.dominoes.bench.experiments.tcp.TcpReceiveScaling;
import io.dominoes.core.idle.IdleStrategies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./dominoes scaling tcp-receive}: the TCP receive path's scaling over payload size x replicas (1..cores
 * and oversubscribed up to 2x cores) x idle strategy x pinning, one {@code TcpReceiveSweep.run} per
 * (payload, idle, pin). Writes {@code tcp-receive.csv} and one {@code speedup-<payload>.png} per payload (speedup
 * against replicas per idle/pin, ideal and Amdahl lines) into the output folder it names.
 */
@Command(
    name = "tcp-receive",
    mixinStandardHelpOptions = true,
    description = {
        "Sweep the TCP receive path: payload x replicas x idle strategy x pinning (each point verified).",
        "Defaults: payloads 64,512,1460,9000; replicas 1..2x cores; idle spin,two-phase; pin off,on; mode misd.",
    })
public final class ScalingTcpReceiveCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--payloads", split = ",", defaultValue = "64,512,1460,9000", paramLabel = "BYTES",
        description = "Payload sizes, each in [64, 65000] (default ${DEFAULT-VALUE}).")
    List<Integer> payloads;

    @Option(names = "--replicas", split = ",", paramLabel = "N",
        description = "Replica counts, each in [1, 64] (default 1..2 x available cores: oversubscribed beyond cores).")
    List<Integer> replicas;

    @Option(names = "--max-replicas", paramLabel = "N",
        description = "Limit the default replica range to 1..N.")
    Integer maxReplicas;

    @Option(names = "--idle", split = ",", defaultValue = "spin,two-phase", paramLabel = "NAME",
        description = "Idle strategies: " + IdleStrategies.NAMES + ", auto (default ${DEFAULT-VALUE}).")
    List<String> idles;

    @Option(names = "--pin", split = ",", defaultValue = "off,on", paramLabel = "off|on",
        description = "Pinning settings to sweep (default ${DEFAULT-VALUE}).")
    List<String> pins;

    @Option(names = "--mode", split = ",", defaultValue = "misd", paramLabel = "MODE",
        description = "Modes: single, misd, mimd (default ${DEFAULT-VALUE}; misd always gets its calibration run).")
    List<String> modes;

    @Option(names = "--segments", defaultValue = "20000", paramLabel = "N",
        description = "Segments per stream, in [100, 2000000], capped per payload at 512 MiB (default ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "N",
        description = "Runs per point, the best is kept, in [1, 50] (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--reorder", defaultValue = "0.01", paramLabel = "SHARE", description = "Share reordered, [0, 0.5].")
    double reorder;

    @Option(names = "--loss", defaultValue = "0.001", paramLabel = "SHARE", description = "Share lost, [0, 0.2].")
    double loss;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of stream and faults.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Output folder (default: results/scaling-tcp-receive-<time>).")
    Path out;

    @Override
    public Integer call() throws IOException
    {
        final TcpReceiveScaling.Plan plan = validate();
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter stdout = spec.commandLine().getOut();
        final Path dir = null != out ? out : Path.of("results",
            "scaling-tcp-receive-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        stdout.println("scaling tcp-receive: writing into " + dir.toAbsolutePath());
        stdout.flush();
        final TcpReceiveScaling.Result result = TcpReceiveScaling.run(plan, err);
        TcpReceiveScaling.write(result, dir);
        TcpReceiveScaling.printSummary(stdout, result);
        stdout.println("results: " + dir.resolve("tcp-receive.csv") + ", speedup-<payload>.png");
        stdout.flush();
        return 0;
    }

    private TcpReceiveScaling.Plan validate()
    {
        try
        {
            for (final int p : payloads)
            {
                range("--payloads", p, TcpBenchCommand.MIN_PAYLOAD, TcpBenchCommand.MAX_PAYLOAD);
            }
            range("--segments", segments, TcpBenchCommand.MIN_SEGMENTS, TcpBenchCommand.MAX_SEGMENTS);
            range("--repeat", repeat, 1, TcpBenchCommand.MAX_REPEAT);
            if (!(reorder >= 0 && reorder <= 0.5))
            {
                throw new IllegalArgumentException("--reorder " + reorder + " is outside [0, 0.5]");
            }
            if (!(loss >= 0 && loss <= 0.2))
            {
                throw new IllegalArgumentException("--loss " + loss + " is outside [0, 0.2]");
            }
            for (final String idle : idles)
            {
                if (!"auto".equals(idle))
                {
                    IdleStrategies.byName(idle);
                }
            }
            final List<Boolean> pinValues = new ArrayList<>();
            for (final String p : pins)
            {
                if (!"on".equals(p) && !"off".equals(p))
                {
                    throw new IllegalArgumentException("--pin '" + p + "' is not on or off");
                }
                pinValues.add("on".equals(p));
            }
            for (final String m : modes)
            {
                if (!TcpBenchCommand.MODES.contains(m))
                {
                    throw new IllegalArgumentException("--mode '" + m + "' is not one of " + TcpBenchCommand.MODES);
                }
            }
            final List<Integer> counts = new ArrayList<>();
            if (null == replicas)
            {
                final int max = null != maxReplicas ? maxReplicas : 2 * Runtime.getRuntime().availableProcessors();
                range("--max-replicas", max, 1, TcpBenchCommand.MAX_REPLICAS);
                for (int n = 1; n <= max; n++)
                {
                    counts.add(n);
                }
            }
            else
            {
                for (final int n : replicas)
                {
                    range("--replicas", n, 1, TcpBenchCommand.MAX_REPLICAS);
                    if (!counts.contains(n))
                    {
                        counts.add(n);
                    }
                }
            }
            if (!modes.contains(TcpReceiveBench.MISD) && !modes.contains(TcpReceiveBench.MIMD) &&
                !modes.contains(TcpReceiveBench.SINGLE))
            {
                throw new IllegalArgumentException("--mode names no mode");
            }
            return new TcpReceiveScaling.Plan(List.copyOf(payloads), counts, List.copyOf(idles), pinValues,
                List.copyOf(modes), segments, repeat, reorder, loss, seed);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private static void range(final String option, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(option + " " + value + " is outside [" + min + ", " + max + "]");
        }
    }
}
