package io.dominoes.net.monitor;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Replays a capture's TCP traffic through a passive {@link ReplayTarget} (by default a {@link TcpMonitor}):
 * the entry point for {@code ./dominoes pcap-replay} and tcp-bench's {@code --pcap} mode.
 * <p>
 * Frames are first loaded into memory ({@link CapturedFrames}). One untimed pass produces the per-connection
 * report (and the stream dumps when asked); then {@link Options#timedRuns} passes, each with a fresh target and a
 * sink that discards the data, are timed from the first frame to the end of {@link ReplayTarget#finish()}.
 * Timing uses System.nanoTime here, in the harness, never inside the monitor (whose only clock is the
 * capture's timestamps).
 */
public final class PcapReplay
{
    private PcapReplay()
    {
    }

    /**
     * What to run.
     */
    public static final class Options
    {
        private MonitorConfig config = new MonitorConfig();
        private Path dumpDirectory;
        private int timedRuns = 3;
        private ReplayTarget.Factory targetFactory = TcpMonitor::new;

        public Options config(final MonitorConfig config)
        {
            if (null == config)
            {
                throw new IllegalArgumentException("config is null");
            }
            this.config = config;
            return this;
        }

        /**
         * @param directory where to write per-connection stream files, or null for none.
         */
        public Options dumpDirectory(final Path directory)
        {
            this.dumpDirectory = directory;
            return this;
        }

        /**
         * @param runs timed passes after the report pass, in [0, 1000].
         */
        public Options timedRuns(final int runs)
        {
            if (runs < 0 || runs > 1000)
            {
                throw new IllegalArgumentException("timedRuns=" + runs + " not in [0, 1000]");
            }
            this.timedRuns = runs;
            return this;
        }

        /**
         * Hook for the replicated receive path: how to build the target fed with frames.
         */
        public Options targetFactory(final ReplayTarget.Factory factory)
        {
            if (null == factory)
            {
                throw new IllegalArgumentException("targetFactory is null");
            }
            this.targetFactory = factory;
            return this;
        }

        public MonitorConfig config()
        {
            return config;
        }

        public Path dumpDirectory()
        {
            return dumpDirectory;
        }

        public int timedRuns()
        {
            return timedRuns;
        }

        public ReplayTarget.Factory targetFactory()
        {
            return targetFactory;
        }
    }

    /**
     * Result of a replay.
     *
     * @param file             the capture.
     * @param frames           frames in the capture.
     * @param frameBytes       captured bytes of all frames.
     * @param tcpSegments      TCP segments processed (-1 if the target does not say).
     * @param drops            per {@link MonitorDrop} reason (-1 where the target does not say).
     * @param ipv4BadChecksums wrong IPv4 header checksums seen (-1 if unknown).
     * @param tcpBadChecksums  wrong TCP checksums seen (-1 if unknown).
     * @param connections      per connection, in order of first packet.
     * @param runNs            duration of each timed pass.
     * @param dumpFiles        stream files written.
     * @param dumpErrors       I/O errors while dumping.
     */
    public record Report(
        Path file, int frames, long frameBytes, long tcpSegments, long[] drops, long ipv4BadChecksums,
        long tcpBadChecksums, List<ConnectionStats> connections, long[] runNs, List<Path> dumpFiles,
        List<String> dumpErrors)
    {
        /**
         * @return the fastest timed pass divided by the TCP segments (or frames if unknown), NaN without runs.
         */
        public double nsPerSegment()
        {
            if (0 == runNs.length)
            {
                return Double.NaN;
            }
            final long divisor = tcpSegments > 0 ? tcpSegments : Math.max(1, frames);
            return (double)Arrays.stream(runNs).min().getAsLong() / divisor;
        }

        /**
         * @return median timed pass divided by the TCP segments, NaN without runs.
         */
        public double medianNsPerSegment()
        {
            if (0 == runNs.length)
            {
                return Double.NaN;
            }
            final long[] sorted = runNs.clone();
            Arrays.sort(sorted);
            final long divisor = tcpSegments > 0 ? tcpSegments : Math.max(1, frames);
            return (double)sorted[sorted.length / 2] / divisor;
        }

        /**
         * @return total delivered bytes over all connections and directions.
         */
        public long deliveredBytes()
        {
            long sum = 0;
            for (final ConnectionStats c : connections)
            {
                sum += c.c2s().deliveredBytes() + c.s2c().deliveredBytes();
            }
            return sum;
        }

        public String toJson()
        {
            final StringBuilder sb = new StringBuilder(256);
            sb.append("{\"file\":\"").append(file.toString().replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\",\"frames\":").append(frames).append(",\"frameBytes\":").append(frameBytes)
                .append(",\"tcpSegments\":").append(tcpSegments).append(",\"deliveredBytes\":").append(deliveredBytes())
                .append(",\"ipv4BadChecksums\":").append(ipv4BadChecksums)
                .append(",\"tcpBadChecksums\":").append(tcpBadChecksums).append(",\"drops\":{");
            for (int r = 0; r < drops.length; r++)
            {
                sb.append(r == 0 ? "" : ",").append('"').append(MonitorDrop.name(r)).append("\":").append(drops[r]);
            }
            sb.append("},\"timedRuns\":").append(runNs.length).append(",\"runNs\":").append(Arrays.toString(runNs))
                .append(",\"nsPerSegmentBest\":").append(jsonDouble(nsPerSegment()))
                .append(",\"nsPerSegmentMedian\":").append(jsonDouble(medianNsPerSegment()))
                .append(",\"connections\":[");
            for (int i = 0; i < connections.size(); i++)
            {
                sb.append(i == 0 ? "" : ",").append(connections.get(i).toJson());
            }
            sb.append("],\"dumpFiles\":").append(dumpFiles.size()).append(",\"dumpErrors\":").append(dumpErrors.size())
                .append('}');
            return sb.toString();
        }

        private static String jsonDouble(final double v)
        {
            return Double.isNaN(v) ? "null" : String.format(java.util.Locale.ROOT, "%.1f", v);
        }

        public String toText()
        {
            final StringBuilder sb = new StringBuilder(256);
            sb.append(String.format(java.util.Locale.ROOT,
                "%s: %d frames, %d TCP segments, %d connections, %d bytes delivered%n",
                file, frames, tcpSegments, connections.size(), deliveredBytes()));
            sb.append(String.format(java.util.Locale.ROOT, "bad checksums: ipv4=%d tcp=%d%n",
                ipv4BadChecksums, tcpBadChecksums));
            sb.append("drops:");
            boolean any = false;
            for (int r = 0; r < drops.length; r++)
            {
                if (drops[r] != 0)
                {
                    sb.append(' ').append(MonitorDrop.name(r)).append('=').append(drops[r]);
                    any = true;
                }
            }
            sb.append(any ? "" : " none").append(System.lineSeparator());
            if (runNs.length > 0)
            {
                sb.append(String.format(java.util.Locale.ROOT,
                    "timing: %d runs, best %.1f ns/segment, median %.1f ns/segment (frames pre-loaded)%n",
                    runNs.length, nsPerSegment(), medianNsPerSegment()));
            }
            sb.append(String.format("%-48s %8s %10s %10s %8s %8s %6s%n",
                "connection", "dir", "segments", "delivered", "dupB", "gapB", "dropB"));
            for (final ConnectionStats c : connections)
            {
                appendDirection(sb, c.name(), "c2s", c.c2s());
                appendDirection(sb, "", "s2c", c.s2c());
            }
            if (!dumpFiles.isEmpty())
            {
                sb.append("stream files written: ").append(dumpFiles.size()).append(System.lineSeparator());
            }
            for (final String error : dumpErrors)
            {
                sb.append("dump error: ").append(error).append(System.lineSeparator());
            }
            return sb.toString();
        }

        private static void appendDirection(
            final StringBuilder sb, final String name, final String dir, final ConnectionStats.Direction d)
        {
            sb.append(String.format("%-48s %8s %10d %10d %8d %8d %6d%n",
                name, dir, d.segments(), d.deliveredBytes(), d.duplicateBytes(), d.gapBytes(), d.droppedBytes()));
        }
    }

    /**
     * Replay {@code file}.
     *
     * @throws IOException if the capture cannot be read or the dump directory created.
     */
    public static Report run(final Path file, final Options options) throws IOException
    {
        return run(file, CapturedFrames.load(file), options);
    }

    /**
     * Replay frames already loaded.
     */
    public static Report run(final Path file, final CapturedFrames frames, final Options options) throws IOException
    {
        final List<ConnectionStats> stats = new ArrayList<>();
        final StreamSink collector = new StreamSink()
        {
            public void onData(
                final TcpConnection c, final int direction, final DirectBuffer buffer, final int offset, final int length)
            {
            }

            public void onClose(final TcpConnection connection)
            {
                stats.add(ConnectionStats.of(connection));
            }
        };
        final ReplayTarget target;
        List<Path> dumpFiles = List.of();
        List<String> dumpErrors = List.of();
        if (null != options.dumpDirectory())
        {
            try (StreamDumpWriter writer = new StreamDumpWriter(options.dumpDirectory()))
            {
                target = options.targetFactory().create(options.config(), new TeeSink(writer, collector));
                feed(target, frames);
                dumpFiles = List.copyOf(writer.files());
                dumpErrors = List.copyOf(writer.errors());
            }
        }
        else
        {
            target = options.targetFactory().create(options.config(), collector);
            feed(target, frames);
        }
        stats.sort(Comparator.comparingLong(ConnectionStats::id));

        final long[] runNs = new long[options.timedRuns()];
        for (int r = 0; r < runNs.length; r++)
        {
            final ReplayTarget timed = options.targetFactory().create(options.config(), StreamSink.NONE);
            final long start = System.nanoTime();
            feed(timed, frames);
            runNs[r] = System.nanoTime() - start;
        }

        final long[] drops = new long[MonitorDrop.COUNT];
        for (int r = 0; r < drops.length; r++)
        {
            drops[r] = target.drops(r);
        }
        final long ipv4Bad = target instanceof TcpMonitor m ? m.ipv4BadChecksums() : -1;
        final long tcpBad = target instanceof TcpMonitor m ? m.tcpBadChecksums() : -1;
        return new Report(file, frames.count(), frames.totalBytes(), target.tcpSegments(), drops, ipv4Bad, tcpBad,
            List.copyOf(stats), runNs, dumpFiles, dumpErrors);
    }

    private static void feed(final ReplayTarget target, final CapturedFrames frames)
    {
        final UnsafeBuffer buffer = frames.buffer();
        for (int i = 0, n = frames.count(); i < n; i++)
        {
            target.onFrame(buffer, frames.offset(i), frames.length(i), frames.timestampNs(i));
        }
        target.finish();
    }

    /**
     * Sends every event to two sinks, in order.
     */
    public static final class TeeSink implements StreamSink
    {
        private final StreamSink first;
        private final StreamSink second;

        public TeeSink(final StreamSink first, final StreamSink second)
        {
            this.first = first;
            this.second = second;
        }

        public void onOpen(final TcpConnection connection)
        {
            first.onOpen(connection);
            second.onOpen(connection);
        }

        public void onData(
            final TcpConnection connection, final int direction, final DirectBuffer buffer, final int offset, final int length)
        {
            first.onData(connection, direction, buffer, offset, length);
            second.onData(connection, direction, buffer, offset, length);
        }

        public void onGap(final TcpConnection connection, final int direction, final int length)
        {
            first.onGap(connection, direction, length);
            second.onGap(connection, direction, length);
        }

        public void onClose(final TcpConnection connection)
        {
            first.onClose(connection);
            second.onClose(connection);
        }
    }
}
