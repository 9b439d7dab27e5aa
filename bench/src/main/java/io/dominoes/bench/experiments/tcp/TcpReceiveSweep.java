package io.dominoes.bench.experiments.tcp;

import io.dominoes.bench.harness.BenchmarkFailure;
import io.dominoes.net.misd.PayloadCopySplit;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep over modes and replica counts for one workload: after {@link #WARMUP_RUNS} untimed runs, the
 * best-of-{@code repeats} time per point, then speedup
 * over the same mode at 1 replica, efficiency, the ratio to single, and for misd the Amdahl bound from the
 * measured serial fraction {@code f = T_calibration(1) / T_misd(1)}: {@code 1 / (f + (1 - f) / N)}.
 * {@code tcp-bench} runs one sweep; {@code scaling tcp-receive} loops over payloads, idle strategies and pinning.
 */
public final class TcpReceiveSweep
{
    /**
     * One measured point.
     */
    public static final class Row
    {
        public final String mode;
        public final int replicas;
        public final int payload;
        public final String idle;
        public final boolean pin;
        public final long segments;
        public final long bytes;
        public final long bestNs;
        public final long sentFrames;
        public final String cpus;
        public double speedup = Double.NaN;
        public double amdahl = Double.NaN;
        public double vsSingle = Double.NaN;

        Row(final String mode, final int replicas, final TcpReceiveWorkload w, final String idle, final boolean pin,
            final long bestNs, final TcpReceiveBench.Run run)
        {
            this.mode = mode;
            this.replicas = replicas;
            this.payload = w.payload();
            this.idle = idle;
            this.pin = pin;
            this.segments = w.trace().frames();
            this.bytes = w.trace().streamBytes();
            this.bestNs = bestNs;
            this.sentFrames = run.sentFrames();
            this.cpus = run.cpus();
        }

        /**
         * A point measured elsewhere than over a generated workload (tcp-bench --pcap).
         */
        Row(final String mode, final int replicas, final int payload, final String idle, final boolean pin,
            final long segments, final long bytes, final long bestNs, final long sentFrames, final String cpus)
        {
            this.mode = mode;
            this.replicas = replicas;
            this.payload = payload;
            this.idle = idle;
            this.pin = pin;
            this.segments = segments;
            this.bytes = bytes;
            this.bestNs = bestNs;
            this.sentFrames = sentFrames;
            this.cpus = cpus;
        }

        public double gbitPerSecond()
        {
            return bytes * 8.0 / bestNs;
        }

        public double nsPerSegment()
        {
            return (double)bestNs / segments;
        }

        public double efficiency()
        {
            return speedup / replicas;
        }
    }

    /**
     * Result of a sweep: rows plus the serial fraction (NaN without misd).
     */
    public record Result(List<Row> rows, double serialFraction)
    {
    }

    /**
     * Unreported runs before each point's timed ones. With fresh groups (and sockets) per run, the first runs of a
     * mode in the JVM were 2-9x the later ones (C2 compiling the path, then recompiling after the previous mode's
     * types polluted shared call sites); best-of-N hid that only when N was large enough.
     */
    static final int WARMUP_RUNS = 2;

    private TcpReceiveSweep()
    {
    }

    /**
     * @param progress one line per measured point, as it finishes.
     */
    public static Result run(final TcpReceiveWorkload workload, final List<String> modes, final List<Integer> replicas,
        final String idle, final boolean pin, final int repeats, final PrintWriter progress)
    {
        return run(workload, modes, replicas, idle, pin, repeats, PayloadCopySplit.NEVER, progress);
    }

    /**
     * @param split    how misd replicas divide the copy of large segments.
     * @param progress one line per measured point, as it finishes.
     */
    public static Result run(final TcpReceiveWorkload workload, final List<String> modes, final List<Integer> replicas,
        final String idle, final boolean pin, final int repeats, final PayloadCopySplit split, final PrintWriter progress)
    {
        final List<Row> rows = new ArrayList<>();
        double f = Double.NaN;
        if (modes.contains(TcpReceiveBench.MISD))
        {
            final long cal = best(workload, TcpReceiveBench.CALIBRATION, 1, idle, pin, repeats, split, progress)[0];
            final Row m1 = measure(workload, TcpReceiveBench.MISD, 1, idle, pin, repeats, split, progress);
            f = Math.min(1.0, (double)cal / m1.bestNs);
            progress.printf(Locale.ROOT, "  calibration (replicated work only, 1 replica): %.2f ms -> serial fraction f=%.3f%n",
                cal / 1e6, f);
            progress.flush();
            if (replicas.contains(1))
            {
                rows.add(m1);
            }
        }
        for (final String mode : modes)
        {
            if (TcpReceiveBench.SINGLE.equals(mode))
            {
                rows.add(0, measure(workload, mode, 1, idle, pin, repeats, split, progress));
                continue;
            }
            for (final int n : replicas)
            {
                if (TcpReceiveBench.MISD.equals(mode) && n == 1)
                {
                    continue; // measured above
                }
                rows.add(measure(workload, mode, n, idle, pin, repeats, split, progress));
            }
        }
        derive(rows, f);
        return new Result(rows, f);
    }

    /**
     * Fill speedup (over the same mode at 1 replica), ratio to single and, for misd, the Amdahl bound.
     */
    static void derive(final List<Row> rows, final double f)
    {
        final Map<String, Long> base = new LinkedHashMap<>();
        long single = -1;
        for (final Row r : rows)
        {
            if (r.replicas == 1)
            {
                base.put(r.mode, r.bestNs);
            }
            if (TcpReceiveBench.SINGLE.equals(r.mode))
            {
                single = r.bestNs;
            }
        }
        for (final Row r : rows)
        {
            final Long b = base.get(r.mode);
            if (null != b)
            {
                r.speedup = (double)b / r.bestNs;
            }
            if (single > 0)
            {
                r.vsSingle = (double)single / r.bestNs;
            }
            if (TcpReceiveBench.MISD.equals(r.mode) && !Double.isNaN(f))
            {
                r.amdahl = 1.0 / (f + (1 - f) / r.replicas);
            }
        }
    }

    private static Row measure(final TcpReceiveWorkload w, final String mode, final int n, final String idle,
        final boolean pin, final int repeats, final PayloadCopySplit split, final PrintWriter progress)
    {
        final TcpReceiveBench.Run[] last = new TcpReceiveBench.Run[1];
        final long bestNs = best(w, mode, n, idle, pin, repeats, split, progress, last);
        return new Row(mode, n, w, idle, pin, bestNs, last[0]);
    }

    private static long[] best(final TcpReceiveWorkload w, final String mode, final int n, final String idle,
        final boolean pin, final int repeats, final PayloadCopySplit split, final PrintWriter progress)
    {
        return new long[]{ best(w, mode, n, idle, pin, repeats, split, progress, new TcpReceiveBench.Run[1]) };
    }

    private static long best(final TcpReceiveWorkload w, final String mode, final int n, final String idle,
        final boolean pin, final int repeats, final PayloadCopySplit split, final PrintWriter progress,
        final TcpReceiveBench.Run[] last)
    {
        long best = Long.MAX_VALUE;
        progress.printf(Locale.ROOT, "  %-11s replicas=%d payload=%d ", mode, n, w.payload());
        progress.flush();
        int failed = 0;
        BenchmarkFailure lastFailure = null;
        for (int i = 0; i < WARMUP_RUNS + repeats; i++)
        {
            final TcpReceiveBench.Run run;
            try
            {
                run = TcpReceiveBench.run(w, mode, n, idle, pin, split);
            }
            catch (final BenchmarkFailure ex)
            {
                // mimd can lose a segment when one worker overtakes another by a long way (a preempted worker on
                // a loaded machine) and the replayed trace holds no retransmission: the run delivered a wrong
                // stream, so it is not timed; it is reported, and the point fails only if most runs fail.
                failed++;
                lastFailure = ex;
                progress.printf(Locale.ROOT, "FAILED ");
                progress.flush();
                if (failed > repeats)
                {
                    progress.println();
                    throw ex;
                }
                continue;
            }
            if (i < WARMUP_RUNS)
            {
                continue; // verified, not timed
            }
            best = Math.min(best, run.elapsedNs());
            last[0] = run;
            progress.printf(Locale.ROOT, "%.1fms ", run.elapsedNs() / 1e6);
            progress.flush();
        }
        if (null == last[0])
        {
            throw null != lastFailure ? lastFailure : new BenchmarkFailure(mode + ": no run completed");
        }
        progress.printf(Locale.ROOT, "-> best %.1f ms (verified)%s%s%n", best / 1e6,
            last[0].copies().isEmpty() ? "" : "; last run " + last[0].copies(),
            failed > 0 ? String.format(Locale.ROOT, "; %d run(s) FAILED verification: %s", failed, lastFailure.getMessage()) : "");
        progress.flush();
        return best;
    }

    public static void printTable(final PrintWriter out, final Result result)
    {
        out.printf(Locale.ROOT, "%-7s %8s %7s %9s %9s %9s %8s %8s %8s %8s %8s%n",
            "mode", "replicas", "payload", "ms", "Gbit/s", "ns/seg", "speedup", "effic.", "amdahl", "vsSingle", "acks");
        for (final Row r : result.rows())
        {
            out.printf(Locale.ROOT, "%-7s %8d %7d %9.2f %9.2f %9.1f %8s %8s %8s %8s %8d%n",
                r.mode, r.replicas, r.payload, r.bestNs / 1e6, r.gbitPerSecond(), r.nsPerSegment(), fmt(r.speedup),
                fmt(r.efficiency()), fmt(r.amdahl), fmt(r.vsSingle), r.sentFrames);
        }
        if (!Double.isNaN(result.serialFraction()))
        {
            out.printf(Locale.ROOT, "serial fraction f (misd replicated-only / misd 1 replica) = %.3f%n", result.serialFraction());
        }
    }

    private static String fmt(final double v)
    {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    public static String csvHeader()
    {
        return "mode,replicas,payload,idle,pin,segments,bytes,best_ns,gbit_per_s,ns_per_segment,speedup,efficiency," +
            "amdahl_bound,vs_single,acks,cpus\n";
    }

    public static String csv(final Result result)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Row r : result.rows())
        {
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%b,%d,%d,%d,%.4f,%.2f,%s,%s,%s,%s,%d,%s%n",
                r.mode, r.replicas, r.payload, r.idle, r.pin, r.segments, r.bytes, r.bestNs, r.gbitPerSecond(),
                r.nsPerSegment(), csvNum(r.speedup), csvNum(r.efficiency()), csvNum(r.amdahl), csvNum(r.vsSingle),
                r.sentFrames, r.cpus.replace(' ', ';')));
        }
        return sb.toString();
    }

    public static String json(final Result result)
    {
        final StringBuilder sb = new StringBuilder("{\"serial_fraction\": ")
            .append(Double.isNaN(result.serialFraction()) ? "null" : String.format(Locale.ROOT, "%.4f", result.serialFraction()))
            .append(", \"rows\": [");
        String sep = "";
        for (final Row r : result.rows())
        {
            sb.append(sep).append(String.format(Locale.ROOT,
                "{\"mode\": \"%s\", \"replicas\": %d, \"payload\": %d, \"idle\": \"%s\", \"pin\": %b, \"segments\": %d, " +
                    "\"best_ns\": %d, \"gbit_per_s\": %.4f, \"ns_per_segment\": %.2f, \"speedup\": %s, \"efficiency\": %s, " +
                    "\"amdahl_bound\": %s, \"vs_single\": %s, \"acks\": %d}",
                r.mode, r.replicas, r.payload, r.idle, r.pin, r.segments, r.bestNs, r.gbitPerSecond(), r.nsPerSegment(),
                jsonNum(r.speedup), jsonNum(r.efficiency()), jsonNum(r.amdahl), jsonNum(r.vsSingle), r.sentFrames));
            sep = ", ";
        }
        return sb.append("]}\n").toString();
    }

    private static String csvNum(final double v)
    {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String jsonNum(final double v)
    {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * Speedup against replicas: one curve per mode (single as a flat line at its ratio), ideal and Amdahl lines.
     */
    public static void plot(final Result result, final String title, final Path png) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
            .xAxisTitle("replicas / worker threads").yAxisTitle("speedup over 1 replica of the same mode").build();
        final Map<String, List<Row>> byMode = new LinkedHashMap<>();
        int maxN = 1;
        for (final Row r : result.rows())
        {
            if (!TcpReceiveBench.SINGLE.equals(r.mode))
            {
                byMode.computeIfAbsent(r.mode, k -> new ArrayList<>()).add(r);
                maxN = Math.max(maxN, r.replicas);
            }
        }
        final double[] xs = new double[maxN];
        final double[] ideal = new double[maxN];
        final double[] amdahl = new double[maxN];
        final double f = result.serialFraction();
        for (int i = 0; i < maxN; i++)
        {
            xs[i] = i + 1;
            ideal[i] = i + 1;
            amdahl[i] = Double.isNaN(f) ? Double.NaN : 1.0 / (f + (1 - f) / (i + 1));
        }
        chart.addSeries("ideal", xs, ideal).setMarker(SeriesMarkers.NONE);
        if (!Double.isNaN(f))
        {
            chart.addSeries(String.format(Locale.ROOT, "Amdahl f=%.2f", f), xs, amdahl).setMarker(SeriesMarkers.NONE);
        }
        for (final Map.Entry<String, List<Row>> e : byMode.entrySet())
        {
            final List<Row> rows = e.getValue();
            rows.sort((a, b) -> Integer.compare(a.replicas, b.replicas));
            final double[] x = new double[rows.size()];
            final double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++)
            {
                x[i] = rows.get(i).replicas;
                y[i] = Double.isNaN(rows.get(i).speedup) ? 0 : rows.get(i).speedup;
            }
            chart.addSeries(e.getKey(), x, y);
        }
        Files.createDirectories(png.getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Write CSV (and JSON) next to the plot.
     */
    public static void write(final Result result, final Path dir, final String name, final String title) throws IOException
    {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".csv"), csvHeader() + csv(result), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".json"), json(result), StandardCharsets.UTF_8);
        plot(result, title, dir.resolve(name + ".png"));
    }
}
