package io.dominoes.bench.experiments.tcp;

import io.dominoes.bench.harness.BenchmarkFailure;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.misd.SharedReceiveBuffer;
import io.dominoes.net.monitor.CapturedFrames;
import io.dominoes.net.monitor.ChecksumMode;
import io.dominoes.net.monitor.MonitorConfig;
import io.dominoes.net.monitor.PcapReplay;
import io.dominoes.net.monitor.ReplayTarget;
import io.dominoes.net.monitor.ReplicatedMonitorTarget;
import io.dominoes.net.monitor.StreamSink;
import io.dominoes.net.monitor.TcpConnection;
import io.dominoes.net.monitor.TcpMonitor;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code tcp-bench --pcap}: a capture's TCP traffic through the passive receive path (no replies; ACK numbers
 * only feed the hole rule), single vs misd with N replicas, with the same figures as the synthetic runs.
 * <ul>
 *   <li><b>single</b>: one {@link TcpMonitor} on the calling thread, checksums verified, delivered bytes copied
 *       into a receive arena (the same copy the misd owners do).</li>
 *   <li><b>misd</b>: {@link ReplicatedMonitorTarget}: replicated bookkeeping, checksum as the owner's look-ahead
 *       verdict, owner copy; pre-filled log, timed from the replicas' start to the last replica's end.</li>
 *   <li><b>calibration</b>: misd with 1 replica, checksums off and no copy: the replicated-only cost, for the
 *       serial fraction {@code f = T_calibration / T_misd(1)}.</li>
 * </ul>
 * Timing is {@link PcapReplay}'s: best of {@code repeats} timed passes over pre-loaded frames. Every misd point is
 * verified: its report pass writes stream dumps from the owners' copies, which must equal the single monitor's
 * file for file, and its per-connection figures and drops must equal single's.
 */
public final class TcpPcapBench
{
    private static final int ARENA_BYTES = 1 << 22;

    private TcpPcapBench()
    {
    }

    /**
     * @param dumpDirectory where the single monitor's stream files go (null: a temporary folder, deleted).
     * @param progress      one line per point.
     * @return rows: single, misd per replica count; serial fraction from the calibration run.
     */
    public static TcpReceiveSweep.Result run(final Path capture, final List<String> modes, final List<Integer> replicas,
        final String idle, final boolean pin, final int repeats, final Path dumpDirectory, final PrintWriter progress)
        throws IOException
    {
        final CapturedFrames frames = CapturedFrames.load(capture);
        final Path work = Files.createTempDirectory("tcp-bench-pcap");
        try
        {
            final Path singleDump = null != dumpDirectory ? dumpDirectory : work.resolve("single");
            final PcapReplay.Report reference = PcapReplay.run(capture, frames, new PcapReplay.Options()
                .dumpDirectory(singleDump).timedRuns(modes.contains(TcpReceiveBench.SINGLE) ? repeats : 0)
                .targetFactory(TcpPcapBench::copyingMonitor));
            if (!reference.dumpErrors().isEmpty())
            {
                throw new IOException("stream dump failed: " + reference.dumpErrors());
            }
            final long segments = reference.tcpSegments();
            final long bytes = reference.deliveredBytes();
            if (segments <= 0 || bytes <= 0)
            {
                throw new IllegalArgumentException(capture + ": no TCP payload delivered (" + segments +
                    " segments), nothing to measure");
            }
            final int payload = (int)Math.max(1, bytes / segments);
            progress.printf(Locale.ROOT, "  capture %s: %d frames, %d TCP segments, %d connections, %d bytes delivered " +
                    "(mean %d B/segment); streams in %s%n", capture.getFileName(), frames.count(), segments,
                reference.connections().size(), bytes, payload, singleDump);
            final List<TcpReceiveSweep.Row> rows = new ArrayList<>();
            if (modes.contains(TcpReceiveBench.SINGLE))
            {
                rows.add(row(TcpReceiveBench.SINGLE, 1, payload, idle, pin, segments, bytes, reference, "", progress));
            }
            double f = Double.NaN;
            if (modes.contains(TcpReceiveBench.MISD))
            {
                final TreeFiles expected = TreeFiles.read(singleDump);
                final PcapReplay.Report cal = PcapReplay.run(capture, frames, new PcapReplay.Options()
                    .config(new MonitorConfig().checksumMode(ChecksumMode.OFF)).timedRuns(repeats)
                    .targetFactory(ReplicatedMonitorTarget.factory(frames, settings(1, idle, pin).partitionedWork(false))));
                final long calNs = Arrays.stream(cal.runNs()).min().orElseThrow();
                for (final int n : replicas)
                {
                    final Path dir = work.resolve("misd" + n);
                    final ReplicatedMonitorTarget.Settings settings = settings(n, idle, pin);
                    final PcapReplay.Report report = PcapReplay.run(capture, frames, new PcapReplay.Options()
                        .dumpDirectory(dir).timedRuns(repeats).targetFactory(ReplicatedMonitorTarget.factory(frames, settings)));
                    verify(n, reference, report, expected, TreeFiles.read(dir));
                    final TcpReceiveSweep.Row r = row(TcpReceiveBench.MISD, n, payload, idle, pin, segments, bytes, report,
                        pin ? Arrays.toString(TcpReceiveBench.cpus(n)) : "", progress);
                    rows.add(r);
                    if (1 == n)
                    {
                        f = Math.min(1.0, (double)calNs / r.bestNs);
                    }
                }
                if (Double.isNaN(f))
                {
                    final PcapReplay.Report one = PcapReplay.run(capture, frames, new PcapReplay.Options().timedRuns(repeats)
                        .targetFactory(ReplicatedMonitorTarget.factory(frames, settings(1, idle, pin))));
                    f = Math.min(1.0, (double)calNs / Arrays.stream(one.runNs()).min().orElseThrow());
                }
                progress.printf(Locale.ROOT, "  calibration (replicated work only, 1 replica): %.3f ms -> serial fraction " +
                    "f=%.3f%n", calNs / 1e6, f);
                progress.flush();
            }
            TcpReceiveSweep.derive(rows, f);
            return new TcpReceiveSweep.Result(rows, f);
        }
        finally
        {
            deleteTree(work);
        }
    }

    private static ReplicatedMonitorTarget.Settings settings(final int n, final String idle, final boolean pin)
    {
        final ReplicatedMonitorTarget.Settings s = new ReplicatedMonitorTarget.Settings().replicas(n)
            .idleStrategy("auto".equals(idle) ? null : IdleStrategies.byName(idle));
        if (pin)
        {
            s.pinCpus(TcpReceiveBench.cpus(n));
        }
        return s;
    }

    /**
     * Single monitor; in timed passes (sink NONE) the delivered bytes are copied into an arena, as misd owners do.
     */
    static ReplayTarget copyingMonitor(final MonitorConfig config, final StreamSink sink)
    {
        if (StreamSink.NONE != sink)
        {
            return new TcpMonitor(config, sink);
        }
        final SharedReceiveBuffer arena = new SharedReceiveBuffer(ARENA_BYTES, 1);
        return new TcpMonitor(config, new StreamSink()
        {
            private long position;

            public void onData(
                final TcpConnection c, final int direction, final DirectBuffer buffer, final int offset, final int length)
            {
                arena.write(position, buffer, offset, length);
                position += length;
            }
        });
    }

    private static TcpReceiveSweep.Row row(final String mode, final int n, final int payload, final String idle,
        final boolean pin, final long segments, final long bytes, final PcapReplay.Report report, final String cpus,
        final PrintWriter progress)
    {
        final long best = Arrays.stream(report.runNs()).min().orElseThrow();
        progress.printf(Locale.ROOT, "  %-11s replicas=%d runs %s -> best %.3f ms (%s)%n", mode, n,
            Arrays.stream(report.runNs()).mapToObj(ns -> String.format(Locale.ROOT, "%.2fms", ns / 1e6)).toList(), best / 1e6,
            TcpReceiveBench.SINGLE.equals(mode) ? "reference dump" : "verified against single");
        progress.flush();
        return new TcpReceiveSweep.Row(mode, n, payload, idle, pin, segments, bytes, best, 0, cpus);
    }

    private static void verify(final int n, final PcapReplay.Report single, final PcapReplay.Report misd,
        final TreeFiles expected, final TreeFiles actual)
    {
        if (!single.connections().equals(misd.connections()) || !Arrays.equals(single.drops(), misd.drops()) ||
            single.tcpSegments() != misd.tcpSegments())
        {
            throw new BenchmarkFailure("misd " + n + " replicas: connection figures or drops differ from single");
        }
        final String diff = expected.firstDifference(actual);
        if (null != diff)
        {
            throw new BenchmarkFailure("misd " + n + " replicas: stream dump differs from single: " + diff);
        }
    }

    /**
     * The files of one dump folder, by name.
     */
    private record TreeFiles(List<String> names, List<byte[]> contents)
    {
        static TreeFiles read(final Path dir) throws IOException
        {
            final List<String> names = new ArrayList<>();
            final List<byte[]> contents = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir))
            {
                for (final Path p : s.sorted(Comparator.comparing(Path::toString)).toList())
                {
                    names.add(p.getFileName().toString());
                    contents.add(Files.readAllBytes(p));
                }
            }
            return new TreeFiles(names, contents);
        }

        String firstDifference(final TreeFiles other)
        {
            if (!names.equals(other.names))
            {
                return "files " + names + " vs " + other.names;
            }
            for (int i = 0; i < names.size(); i++)
            {
                final int at = Arrays.mismatch(contents.get(i), other.contents.get(i));
                if (at >= 0)
                {
                    return names.get(i) + " at byte " + at;
                }
            }
            return null;
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> s = Files.walk(root))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
