package io.dominoes.bench.experiments.tcp;

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
import java.util.List;
import java.util.Locale;

/**
 * {@code scaling tcp-receive}: one {@link TcpReceiveSweep#run} per (payload, idle strategy, pinning), over the same
 * replica counts; the workload is generated once per payload. Results: one CSV with every point and its sweep's
 * serial fraction, and per payload a plot of speedup against replicas (one curve per idle/pin, the ideal line
 * and the Amdahl line of the median measured serial fraction of that payload's sweeps).
 */
public final class TcpReceiveScaling
{
    private static final long MAX_STREAM_BYTES = 1L << 29;

    /**
     * What to sweep.
     */
    public record Plan(List<Integer> payloads, List<Integer> replicas, List<String> idles, List<Boolean> pins,
        List<String> modes, int segments, int repeats, double reorder, double loss, long seed)
    {
        int sweeps()
        {
            return payloads.size() * idles.size() * pins.size();
        }
    }

    /**
     * One sweep's result with its settings.
     */
    public record Sweep(int payload, String idle, boolean pin, TcpReceiveSweep.Result result)
    {
    }

    /**
     * All sweeps.
     */
    public record Result(Plan plan, List<Sweep> sweeps)
    {
    }

    private TcpReceiveScaling()
    {
    }

    /**
     * @param progress a line per sweep (with elapsed time and an estimate of what is left) and per point.
     */
    public static Result run(final Plan plan, final PrintWriter progress)
    {
        final List<Sweep> sweeps = new ArrayList<>();
        final long start = System.nanoTime();
        int done = 0;
        for (final int payload : plan.payloads())
        {
            final int segments = (int)Math.min(plan.segments(), MAX_STREAM_BYTES / payload);
            final TcpReceiveWorkload workload =
                TcpReceiveWorkload.generate(payload, segments, plan.reorder(), plan.loss(), plan.seed());
            for (final String idle : plan.idles())
            {
                for (final boolean pin : plan.pins())
                {
                    final double elapsed = (System.nanoTime() - start) / 1e9;
                    progress.printf(Locale.ROOT, "[%d/%d] payload=%d segments=%d idle=%s pin=%s replicas=%s (%.0f s elapsed%s)%n",
                        done + 1, plan.sweeps(), payload, segments, idle, pin ? "on" : "off", plan.replicas(), elapsed,
                        done == 0 ? "" : String.format(Locale.ROOT, ", ~%.0f s left",
                            elapsed / done * (plan.sweeps() - done)));
                    progress.flush();
                    sweeps.add(new Sweep(payload, idle, pin, TcpReceiveSweep.run(
                        workload, plan.modes(), plan.replicas(), idle, pin, plan.repeats(), progress)));
                    done++;
                }
            }
        }
        return new Result(plan, sweeps);
    }

    public static String csv(final Result result)
    {
        final StringBuilder sb = new StringBuilder("serial_fraction,").append(TcpReceiveSweep.csvHeader());
        for (final Sweep s : result.sweeps())
        {
            final String f = Double.isNaN(s.result().serialFraction()) ? "" :
                String.format(Locale.ROOT, "%.4f", s.result().serialFraction());
            for (final String line : TcpReceiveSweep.csv(s.result()).split("\n"))
            {
                if (!line.isBlank())
                {
                    sb.append(f).append(',').append(line).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /**
     * Write {@code tcp-receive.csv} and {@code speedup-<payload>.png} per payload.
     */
    public static void write(final Result result, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tcp-receive.csv"), csv(result), StandardCharsets.UTF_8);
        for (final int payload : result.plan().payloads())
        {
            plot(result, payload, dir.resolve("speedup-" + payload + ".png"));
        }
    }

    static void plot(final Result result, final int payload, final Path png) throws IOException
    {
        final int maxN = result.plan().replicas().stream().mapToInt(Integer::intValue).max().orElse(1);
        final List<Double> fs = new ArrayList<>();
        final XYChart chart = new XYChartBuilder().width(900).height(600)
            .title(String.format(Locale.ROOT, "TCP receive, %d-byte payloads: speedup over 1 replica (%d cores)",
                payload, Runtime.getRuntime().availableProcessors()))
            .xAxisTitle("replicas").yAxisTitle("speedup over 1 replica of the same mode and settings").build();
        for (final Sweep s : result.sweeps())
        {
            if (s.payload() != payload)
            {
                continue;
            }
            if (!Double.isNaN(s.result().serialFraction()))
            {
                fs.add(s.result().serialFraction());
            }
            for (final String mode : result.plan().modes())
            {
                if (TcpReceiveBench.SINGLE.equals(mode))
                {
                    continue;
                }
                final List<TcpReceiveSweep.Row> rows = new ArrayList<>();
                for (final TcpReceiveSweep.Row r : s.result().rows())
                {
                    if (mode.equals(r.mode))
                    {
                        rows.add(r);
                    }
                }
                rows.sort((a, b) -> Integer.compare(a.replicas, b.replicas));
                if (rows.isEmpty())
                {
                    continue;
                }
                final double[] x = new double[rows.size()];
                final double[] y = new double[rows.size()];
                for (int i = 0; i < rows.size(); i++)
                {
                    x[i] = rows.get(i).replicas;
                    y[i] = Double.isNaN(rows.get(i).speedup) ? 0 : rows.get(i).speedup;
                }
                chart.addSeries(mode + " " + s.idle() + (s.pin() ? " pinned" : ""), x, y);
            }
        }
        final double[] xs = new double[maxN];
        final double[] ideal = new double[maxN];
        for (int i = 0; i < maxN; i++)
        {
            xs[i] = i + 1;
            ideal[i] = i + 1;
        }
        chart.addSeries("ideal", xs, ideal).setMarker(SeriesMarkers.NONE);
        if (!fs.isEmpty())
        {
            final double[] sorted = fs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            final double f = sorted[sorted.length / 2];
            final double[] amdahl = new double[maxN];
            for (int i = 0; i < maxN; i++)
            {
                amdahl[i] = 1.0 / (f + (1 - f) / (i + 1));
            }
            chart.addSeries(String.format(Locale.ROOT, "Amdahl f=%.2f (median of %d)", f, sorted.length), xs, amdahl)
                .setMarker(SeriesMarkers.NONE);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Compact table: per sweep, speedup per replica count and the measured serial fraction with its Amdahl bound at
     * the largest count.
     */
    public static void printSummary(final PrintWriter out, final Result result)
    {
        final List<Integer> ns = result.plan().replicas();
        out.printf(Locale.ROOT, "%-7s %-10s %-4s %-6s %7s", "payload", "idle", "pin", "mode", "f");
        for (final int n : ns)
        {
            out.printf(Locale.ROOT, " %7s", "N=" + n);
        }
        out.printf(Locale.ROOT, " %9s %9s%n", "amdahlMax", "Gb/s@1");
        for (final Sweep s : result.sweeps())
        {
            for (final String mode : result.plan().modes())
            {
                if (TcpReceiveBench.SINGLE.equals(mode))
                {
                    continue;
                }
                final double f = TcpReceiveBench.MISD.equals(mode) ? s.result().serialFraction() : Double.NaN;
                out.printf(Locale.ROOT, "%-7d %-10s %-4s %-6s %7s", s.payload(), s.idle(), s.pin() ? "on" : "off", mode,
                    Double.isNaN(f) ? "-" : String.format(Locale.ROOT, "%.3f", f));
                double gbit1 = Double.NaN;
                for (final int n : ns)
                {
                    final TcpReceiveSweep.Row r = s.result().rows().stream()
                        .filter(x -> mode.equals(x.mode) && x.replicas == n).findFirst().orElse(null);
                    out.printf(Locale.ROOT, " %7s", null == r ? "-" : String.format(Locale.ROOT, "%.2f", r.speedup));
                    if (null != r && 1 == n)
                    {
                        gbit1 = r.gbitPerSecond();
                    }
                }
                final int max = ns.stream().mapToInt(Integer::intValue).max().orElse(1);
                out.printf(Locale.ROOT, " %9s %9s%n",
                    Double.isNaN(f) ? "-" : String.format(Locale.ROOT, "%.2f", 1.0 / (f + (1 - f) / max)),
                    Double.isNaN(gbit1) ? "-" : String.format(Locale.ROOT, "%.2f", gbit1));
            }
        }
        out.flush();
    }
}
