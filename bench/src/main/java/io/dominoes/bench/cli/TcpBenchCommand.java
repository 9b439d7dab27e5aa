package io.dominoes.bench.cli;

import io.dominoes.bench.experiments.tcp.TcpPcapBench;
import io.dominoes.bench.experiments.tcp.TcpReceiveBench;
import io.dominoes.bench.experiments.tcp.TcpReceiveSweep;
import io.dominoes.bench.experiments.tcp.TcpReceiveWorkload;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.misd.PayloadCopySplit;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./dominoes tcp-bench}: one TCP connection's receive path, single vs MISD (replicated TCB, partitioned
 * checksum and copy) vs MIMD (shared TCB under a lock), over one recorded stream; goodput, ns per segment,
 * speedup, efficiency and the Amdahl bound from the measured serial fraction. Table on stdout, CSV, JSON and a
 * PNG plot in the output folder.
 */
@Command(
    name = "tcp-bench",
    mixinStandardHelpOptions = true,
    description = {
        "Receive-path scaling of one TCP connection: single, misd (replicas), mimd (locked workers).",
        "The stream is generated (closed loop, real retransmissions) and pre-filled before timing; every run " +
            "verifies the delivered bytes; each point is the best of --repeat runs after 2 untimed warm-up runs. " +
            "About a minute with the defaults.",
    })
public final class TcpBenchCommand implements Callable<Integer>
{
    static final int MIN_PAYLOAD = 64;
    static final int MAX_PAYLOAD = 65_000;
    static final int MAX_REPLICAS = 64;
    static final int MIN_SEGMENTS = 100;
    static final int MAX_SEGMENTS = 2_000_000;
    static final int MAX_REPEAT = 50;
    static final int DEFAULT_SEGMENTS = 60_000;
    /**
     * Without --segments, large payloads get fewer segments: the whole stream is held in memory several times
     * (trace, receive buffers), 128 MiB keeps a run short and the default valid up to the largest payload.
     */
    static final long DEFAULT_STREAM_LIMIT = 128L << 20;
    static final List<String> MODES = List.of(TcpReceiveBench.SINGLE, TcpReceiveBench.MISD, TcpReceiveBench.MIMD);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--payload", defaultValue = "1460", paramLabel = "BYTES",
        description = "Segment payload (MSS) in [64, 65000] (default ${DEFAULT-VALUE}); from 16384 on (TSO-sized) " +
            "misd splits each segment's copy across the replicas in 8 KiB chunks.")
    int payload;

    @Option(names = "--replicas", split = ",", paramLabel = "N",
        description = "Replica / worker counts, comma separated, each in [1, 64] (default: 1..available cores).")
    List<Integer> replicas;

    @Option(names = "--mode", split = ",", defaultValue = "single,misd,mimd", paramLabel = "MODE",
        description = "Modes, comma separated: single, misd, mimd (default ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--idle", defaultValue = "auto", paramLabel = "NAME",
        description = "misd replicas' idle strategy: auto (two-phase when replicas <= cores, else park), " +
            IdleStrategies.NAMES + " (default ${DEFAULT-VALUE}).")
    String idle;

    @Option(names = "--pin", description = "Pin replica / worker i to CPU i mod cores.")
    boolean pin;

    @Option(names = "--copy-split", defaultValue = "0", paramLabel = "BYTES",
        description = "misd: a segment payload of at least BYTES is copied in 8 KiB chunks split across the replicas; " +
            "0: the segment's owner copies it all (default ${DEFAULT-VALUE}: here the owner has just read the whole " +
            "payload for its checksum, so the others' chunks would be cold reads; measured slower, tcp-scaling.md).")
    int copySplit;

    @Option(names = "--segments", paramLabel = "N",
        description = "Full segments in the stream, in [100, 2000000] (default 60000, or 128 MiB of stream for " +
            "payloads above 2236 bytes).")
    Integer segmentsOption;

    /**
     * --segments, or its default for the payload (resolved in validate()).
     */
    int segments;

    @Option(names = "--reorder", defaultValue = "0.01", paramLabel = "SHARE",
        description = "Share of packets reordered, in [0, 0.5] (default ${DEFAULT-VALUE}).")
    double reorder;

    @Option(names = "--loss", defaultValue = "0.001", paramLabel = "SHARE",
        description = "Share of packets lost and retransmitted, in [0, 0.2] (default ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--repeat", defaultValue = "5", paramLabel = "N",
        description = "Runs per point, the best is kept, in [1, 50] (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of stream and faults.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Output folder for tcp-bench.csv/.json/.png (default: results/tcp-bench-<time>).")
    Path out;

    @Option(names = "--json", description = "Print the results as JSON on stdout instead of the table.")
    boolean json;

    @Option(names = "--pcap", paramLabel = "FILE",
        description = "Replay this capture's TCP traffic through the passive receive path (no replies) instead of " +
            "a generated stream: single monitor vs misd replicas (mimd is not offered here).")
    Path pcap;

    @Option(names = "--dump-streams", paramLabel = "DIR",
        description = "With --pcap: write DIR/<client-ip>.<port>-<server-ip>.<port>.<c2s|s2c>.bin (every misd run " +
            "is checked against these files).")
    Path dumpStreams;

    @Override
    public Integer call() throws IOException
    {
        final List<Integer> counts = validate();
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter stdout = spec.commandLine().getOut();
        final Path dir = null != out ? out :
            Path.of("results", "tcp-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (null != pcap)
        {
            return pcapMode(counts, dir, err, stdout);
        }
        err.printf(Locale.ROOT, "tcp-bench: generating %d x %d-byte segments (reorder %.3f, loss %.3f, seed %d)...%n",
            segments, payload, reorder, loss, seed);
        err.flush();
        final long genStart = System.nanoTime();
        final TcpReceiveWorkload workload = TcpReceiveWorkload.generate(payload, segments, reorder, loss, seed);
        err.printf(Locale.ROOT, "  %d packets (%d beyond the stream: handshake, retransmissions), %d ticks, %.1f MB of " +
                "log in %.1f s; %d cores; modes %s, replicas %s, idle %s%s%n",
            workload.trace().frames(), workload.trace().frames() - segments, workload.trace().ticks(),
            workload.trace().length() / 1e6, (System.nanoTime() - genStart) / 1e9,
            Runtime.getRuntime().availableProcessors(), modes, counts, idle, pin ? ", pinned" : "");
        err.flush();
        final TcpReceiveSweep.Result result = TcpReceiveSweep.run(workload, modes, counts, idle, pin, repeat,
            PayloadCopySplit.ofThreshold(copySplit), err);
        if (json)
        {
            stdout.print(TcpReceiveSweep.json(result));
        }
        else
        {
            stdout.println();
            TcpReceiveSweep.printTable(stdout, result);
        }
        TcpReceiveSweep.write(result, dir, "tcp-bench", String.format(Locale.ROOT,
            "one TCP connection, %d-byte payloads, %d segments, idle=%s%s", payload, segments, idle, pin ? ", pinned" : ""));
        if (!json)
        {
            stdout.println("results: " + dir.resolve("tcp-bench.csv") + ", tcp-bench.json, tcp-bench.png");
        }
        stdout.flush();
        return 0;
    }

    private int pcapMode(final List<Integer> counts, final Path dir, final PrintWriter err, final PrintWriter stdout)
        throws IOException
    {
        final List<String> pcapModes = new ArrayList<>(modes);
        if (pcapModes.remove(TcpReceiveBench.MIMD))
        {
            err.println("tcp-bench --pcap: mimd skipped (passive replay offers single and misd)");
        }
        err.printf(Locale.ROOT, "tcp-bench --pcap %s: modes %s, replicas %s, idle %s%s, %d runs per point%n",
            pcap, pcapModes, counts, idle, pin ? ", pinned" : "", repeat);
        err.flush();
        final TcpReceiveSweep.Result result =
            TcpPcapBench.run(pcap, pcapModes, counts, idle, pin, repeat, dumpStreams, err);
        if (json)
        {
            stdout.print(TcpReceiveSweep.json(result));
        }
        else
        {
            stdout.println();
            TcpReceiveSweep.printTable(stdout, result);
        }
        TcpReceiveSweep.write(result, dir, "tcp-bench", String.format(Locale.ROOT, "passive replay of %s, idle=%s%s",
            pcap.getFileName(), idle, pin ? ", pinned" : ""));
        if (!json)
        {
            stdout.println("results: " + dir.resolve("tcp-bench.csv") + ", tcp-bench.json, tcp-bench.png" +
                (null != dumpStreams ? "; streams in " + dumpStreams : ""));
        }
        stdout.flush();
        return 0;
    }

    private List<Integer> validate()
    {
        try
        {
            OptionChecks.checkRange("--payload", payload, MIN_PAYLOAD, MAX_PAYLOAD);
            segments = null != segmentsOption ? segmentsOption :
                (int)Math.max(MIN_SEGMENTS, Math.min(DEFAULT_SEGMENTS, DEFAULT_STREAM_LIMIT / payload));
            OptionChecks.checkRange("--segments", segments, MIN_SEGMENTS, MAX_SEGMENTS);
            OptionChecks.checkRange("--repeat", repeat, 1, MAX_REPEAT);
            OptionChecks.checkRange("--copy-split", copySplit, 0, Integer.MAX_VALUE);
            if (!(reorder >= 0 && reorder <= 0.5))
            {
                throw new IllegalArgumentException("--reorder " + reorder + " is outside [0, 0.5]");
            }
            if (!(loss >= 0 && loss <= 0.2))
            {
                throw new IllegalArgumentException("--loss " + loss + " is outside [0, 0.2]");
            }
            if ((long)payload * segments > (1L << 29))
            {
                throw new IllegalArgumentException("--payload x --segments = " + (long)payload * segments +
                    " bytes exceeds the 512 MiB stream limit (the receive window must hold it)");
            }
            if (null != pcap && !java.nio.file.Files.isReadable(pcap))
            {
                throw new IllegalArgumentException("--pcap " + pcap + " is not a readable file");
            }
            if (null != dumpStreams && null == pcap)
            {
                throw new IllegalArgumentException("--dump-streams needs --pcap");
            }
            if (!"auto".equals(idle))
            {
                IdleStrategies.byName(idle);
            }
            for (final String m : modes)
            {
                if (!MODES.contains(m))
                {
                    throw new IllegalArgumentException("--mode '" + m + "' is not one of " + MODES);
                }
            }
            final List<Integer> counts = new ArrayList<>();
            if (null == replicas)
            {
                for (int n = 1; n <= Runtime.getRuntime().availableProcessors(); n++)
                {
                    counts.add(n);
                }
            }
            else
            {
                for (final int n : replicas)
                {
                    OptionChecks.checkRange("--replicas", n, 1, MAX_REPLICAS);
                    if (!counts.contains(n))
                    {
                        counts.add(n);
                    }
                }
            }
            return counts;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

}
