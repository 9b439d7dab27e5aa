package io.dominoes.bench.experiments.fs;

import io.dominoes.fs.FsLimits;
import io.dominoes.fs.fuse.FsFuse;
import io.dominoes.fs.service.FsService;
import io.dominoes.fs.state.Attr;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Metadata throughput of the replicated file system against a locked single copy of the same state,
 * in process, for 1..N replicas and two mixes, plus (as root) a small workload through FUSE.
 *
 * <ul>
 *   <li><b>read-heavy</b>: 90% reads (45% getattr of a random pre-created file, 45% lookup of one by
 *       name), 10% steps of the client's own create/rename/unlink cycle.</li>
 *   <li><b>write-heavy</b>: the cycle create, stat, rename, unlink on the client's own files (3 of 4 ops
 *       are mutations).</li>
 * </ul>
 * Every client thread drives its system closed-loop (one call at a time); ops/s is the sum over clients
 * during the measuring window, after a warm-up. Results: table on stdout, CSV, PNG (speedup over the
 * locked single copy vs replicas).
 */
public final class FsMetadataScaling
{
    /** Run parameters (validated by the CLI). */
    public static final class Params
    {
        public int maxReplicas = 2;
        public int clients = 4;
        public int files = 1000;
        public long warmupMs = 500;
        public long measureMs = 2000;
        public Path out = Path.of("docs/results");
        public boolean fuse = true;
        /** Replica idle strategy name (IdleStrategies.byName), null = the runtime's default. */
        public String idle;
        /** Pin replicas to CPUs in the pre-filled mode. */
        public boolean pin;
        /** Ops per pre-filled stream (0 = skip the pre-filled mode). */
        public int streamOps = 1_000_000;
        /** Repetitions per pre-filled/pipelined point; the best is reported (the machine is shared). */
        public int repeat = 3;
        /** Outstanding ops per pipelined client (0 = skip the pipelined mode). */
        public int window = 64;
        /** Run the synchronous closed-loop clients mode. */
        public boolean sync = true;
    }

    /** One measured point (mode: prefilled, pipelined, sync or fuse). */
    public record Row(String mode, String mix, String system, int replicas, int clients, long ops, double seconds)
    {
        public double opsPerSec()
        {
            return ops / seconds;
        }
    }

    private final Params p;
    private final PrintStream log;

    public FsMetadataScaling(final Params params, final PrintStream log)
    {
        this.p = params;
        this.log = log;
    }

    /**
     * @return every row measured; also written to {@code out/fs-metadata.csv} and {@code .png}.
     */
    public List<Row> run() throws Exception
    {
        Files.createDirectories(p.out);
        final List<Row> rows = new ArrayList<>();
        if (p.streamOps > 0)
        {
            rows.addAll(new FsStreamModes(p, log).prefilled());
        }
        if (p.window > 0)
        {
            rows.addAll(new FsStreamModes(p, log).pipelined());
        }
        for (final String mix : p.sync ? new String[] {"read-heavy", "write-heavy"} : new String[0])
        {
            rows.add(measure(mix, "locked", 1, dir -> new LockedFs(dir)));
            for (int n = 1; n <= p.maxReplicas; n++)
            {
                final int replicas = n;
                rows.add(measure(mix, "replicated", n, dir -> new ReplicatedFs(dir, replicas, p.idle)));
            }
        }
        if (p.fuse)
        {
            rows.addAll(fuse());
        }
        writeCsv(rows, p.out.resolve("fs-metadata.csv"));
        plot(rows, p.out.resolve("fs-metadata.png"));
        return rows;
    }

    @FunctionalInterface
    private interface SystemFactory
    {
        MetadataOps open(Path dir) throws IOException;
    }

    private Row measure(final String mix, final String system, final int replicas, final SystemFactory factory)
        throws Exception
    {
        final Path dir = Files.createTempDirectory("fs-scaling-");
        try (MetadataOps ops = factory.open(dir))
        {
            final Attr attr = new Attr();
            final long[] inos = new long[p.files];
            for (int i = 0; i < p.files; i++)
            {
                inos[i] = ops.create(FsLimits.ROOT_INO, "p" + i, attr);
                if (inos[i] <= 0)
                {
                    throw new IllegalStateException("setup create p" + i + " failed: " + inos[i]);
                }
            }
            final boolean readHeavy = mix.equals("read-heavy");
            final Row row = drive(mix, system, replicas, p.clients, id -> new Client(ops, inos, id, readHeavy));
            log.printf("sync       %-11s %-10s replicas=%d clients=%d %,12.0f ops/s%n", mix, system, replicas, p.clients,
                row.opsPerSec());
            return row;
        }
        finally
        {
            deleteTree(dir);
        }
    }

    /** A closed-loop client: its counter is read by the measuring thread. */
    private interface Loop
    {
        /** One operation; throws on an unexpected error. */
        void step() throws Exception;
    }

    @FunctionalInterface
    private interface LoopFactory
    {
        Loop create(int clientId) throws Exception;
    }

    private Row drive(final String mix, final String system, final int replicas, final int clients,
        final LoopFactory factory) throws Exception
    {
        final AtomicLongArray counts = new AtomicLongArray(clients * 16); // 128 bytes apart: no false sharing
        final Thread[] threads = new Thread[clients];
        final Throwable[] failure = new Throwable[1];
        final CountDownLatch ready = new CountDownLatch(clients);
        final boolean[] stop = new boolean[1];
        final Object stopLock = new Object();
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        for (int c = 0; c < clients; c++)
        {
            final Loop loop = factory.create(c);
            final int slot = c * 16;
            threads[c] = new Thread(() ->
            {
                ready.countDown();
                try
                {
                    long n = 0;
                    while (running.get())
                    {
                        loop.step();
                        counts.lazySet(slot, ++n); // release; the measuring thread's get is the acquire
                    }
                }
                catch (final Throwable t)
                {
                    synchronized (stopLock)
                    {
                        failure[0] = t;
                        stop[0] = true;
                    }
                }
            }, "fs-bench-client-" + c);
            threads[c].start();
        }
        ready.await();
        Thread.sleep(p.warmupMs);
        final long start = System.nanoTime();
        final long before = sum(counts, clients);
        Thread.sleep(p.measureMs);
        final long after = sum(counts, clients);
        final double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (final Thread t : threads)
        {
            t.join(30_000);
        }
        synchronized (stopLock)
        {
            if (null != failure[0])
            {
                throw new IllegalStateException(mix + " " + system + " client failed", failure[0]);
            }
        }
        return new Row(mix.equals("fuse") ? "fuse" : "sync", mix, system, replicas, clients, after - before, seconds);
    }

    private static long sum(final AtomicLongArray counts, final int clients)
    {
        long s = 0;
        for (int c = 0; c < clients; c++)
        {
            s += counts.get(c * 16);
        }
        return s;
    }

    /** The in-process client: one pre-sized name per cycle state, no allocation per read. */
    private static final class Client implements Loop
    {
        private final MetadataOps ops;
        private final long[] inos;
        private final String[] names;
        private final String mine;
        private final String renamed;
        private final boolean readHeavy;
        private final SplittableRandom random;
        private final Attr attr = new Attr();
        private int phase;

        Client(final MetadataOps ops, final long[] inos, final int id, final boolean readHeavy)
        {
            this.ops = ops;
            this.inos = inos;
            this.names = new String[inos.length];
            for (int i = 0; i < inos.length; i++)
            {
                names[i] = "p" + i;
            }
            this.mine = "c" + id;
            this.renamed = "c" + id + "-renamed";
            this.readHeavy = readHeavy;
            this.random = new SplittableRandom(id * 7919L + 1);
        }

        public void step()
        {
            if (readHeavy)
            {
                final int r = random.nextInt(100);
                if (r < 45)
                {
                    check(ops.getattr(inos[random.nextInt(inos.length)], attr), "getattr");
                    return;
                }
                if (r < 90)
                {
                    check(ops.lookup(FsLimits.ROOT_INO, names[random.nextInt(names.length)], attr), "lookup");
                    return;
                }
            }
            cycle();
        }

        private void cycle()
        {
            switch (phase)
            {
                case 0 -> check(ops.create(FsLimits.ROOT_INO, mine, attr), "create");
                case 1 -> check(ops.lookup(FsLimits.ROOT_INO, mine, attr), "stat");
                case 2 -> check(ops.rename(FsLimits.ROOT_INO, mine, FsLimits.ROOT_INO, renamed), "rename");
                default -> check(ops.unlink(FsLimits.ROOT_INO, renamed), "unlink");
            }
            phase = (phase + 1) & 3;
        }

        private static void check(final long result, final String op)
        {
            if (result < 0)
            {
                throw new IllegalStateException(op + " failed: " + result);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ FUSE

    private List<Row> fuse() throws Exception
    {
        final List<Row> rows = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name")) || !Files.exists(Path.of("/dev/fuse")))
        {
            log.println("FUSE part skipped: needs root and /dev/fuse");
            return rows;
        }
        final Path tmpfs = Files.createTempDirectory(Path.of("/dev/shm"), "fs-scaling-tmpfs-");
        try
        {
            rows.add(fuseRow("tmpfs", 0, () -> tmpfs));
        }
        finally
        {
            deleteTree(tmpfs);
        }
        rows.add(fusePlainRow());
        for (final int n : new int[] {1, p.maxReplicas})
        {
            final Path dir = Files.createTempDirectory("fs-scaling-fuse-");
            final Path mnt = Files.createDirectories(dir.resolve("mnt"));
            // As `./dominoes fs mount` configures it: blocking FUSE threads, replicas parked until woken.
            final FsService.Context ctx = new FsService.Context().directory(dir.resolve("data")).replicas(n)
                .snapshotEveryOps(0).snapshotOnClose(false).parkUntilWoken(true);
            if (null != p.idle)
            {
                ctx.idleStrategy(io.dominoes.core.idle.IdleStrategies.byName(p.idle));
            }
            final FsService fs = FsService.open(ctx);
            final FsFuse fuse = new FsFuse(fs);
            try
            {
                fuse.mountAt(mnt, false);
                rows.add(fuseRow("fuse-replicated", n, () -> mnt));
                log.printf("            mutations applied on the caller's thread %,d, by replicas %,d; " +
                    "reads that fell back to a replica event %,d%n", fs.mutationsAppliedOnCaller(),
                    fs.mutationsAppliedByReplicas(), fs.readsServedByReplicas());
            }
            finally
            {
                fuse.umount();
                fs.close();
                // libfuse may leave the mount point busy for a moment after umount: lazy-detach, then delete.
                new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).redirectErrorStream(true).start().waitFor();
                deleteTree(dir.resolve("data"));
            }
            if (n == p.maxReplicas)
            {
                break;
            }
        }
        // The plain fs again, last: the first row of a JVM also pays for compiling the FsFuse and jnr-fuse code
        // paths that the later rows find compiled; the baseline is the better of the two plain rows.
        rows.add(fusePlainRow());
        return rows;
    }

    private Row fusePlainRow() throws Exception
    {
        final Path dir = Files.createTempDirectory("fs-scaling-fuse-plain-");
        final Path mnt = Files.createDirectories(dir.resolve("mnt"));
        final FsFuse fuse = new FsFuse(new io.dominoes.fs.service.LockedFileSystem());
        try
        {
            fuse.mountAt(mnt, false);
            return fuseRow("fuse-plain", 0, () -> mnt);
        }
        finally
        {
            fuse.umount();
            new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).redirectErrorStream(true).start().waitFor();
            deleteTree(dir);
        }
    }

    private Row fuseRow(final String system, final int replicas, final Supplier<Path> root) throws Exception
    {
        final Path base = root.get();
        final Row row = drive("fuse", system, replicas, p.clients, id ->
        {
            final Path a = base.resolve("c" + id);
            final Path b = base.resolve("c" + id + "-renamed");
            final int[] phase = new int[1];
            return () ->
            {
                switch (phase[0])
                {
                    case 0 -> Files.createFile(a);
                    case 1 -> Files.readAttributes(a, BasicFileAttributes.class);
                    case 2 -> Files.move(a, b);
                    default -> Files.delete(b);
                }
                phase[0] = (phase[0] + 1) & 3;
            };
        });
        log.printf("fuse        %-16s replicas=%d clients=%d %,12.0f ops/s (create/stat/rename/unlink)%n",
            system, replicas, p.clients, row.opsPerSec());
        return row;
    }

    // ------------------------------------------------------------------------------------------ output

    static void writeCsv(final List<Row> rows, final Path csv) throws IOException
    {
        final StringBuilder sb = new StringBuilder("mode,mix,system,replicas,clients,ops,seconds,ops_per_sec,speedup_vs_locked\n");
        for (final Row r : rows)
        {
            final double base = baseline(rows, r);
            sb.append(r.mode()).append(',').append(r.mix()).append(',').append(r.system()).append(',').append(r.replicas()).append(',')
                .append(r.clients()).append(',').append(r.ops()).append(',').append(String.format("%.3f", r.seconds()))
                .append(',').append(String.format("%.0f", r.opsPerSec())).append(',')
                .append(base > 0 ? String.format("%.3f", r.opsPerSec() / base) : "").append('\n');
        }
        Files.writeString(csv, sb.toString());
    }

    /**
     * Baseline of a row: in the pre-filled mode the locked copy run by as many threads as the row has
     * replicas; in the pipelined and synchronous modes the locked copy driven by synchronous clients
     * (its callers do the work themselves, so pipelining does not apply to it); for FUSE the plain
     * single-copy Java FUSE file system (the better of its two rows, run before and after the replicated ones).
     */
    static double baseline(final List<Row> rows, final Row row)
    {
        for (final Row r : rows)
        {
            if (!r.mix().equals(row.mix()))
            {
                continue;
            }
            if (row.mode().equals("prefilled") && r.mode().equals("prefilled") && r.system().equals("locked") &&
                r.replicas() == row.replicas())
            {
                return r.opsPerSec();
            }
            if ((row.mode().equals("sync") || row.mode().equals("pipelined")) && r.mode().equals("sync") &&
                r.system().equals("locked"))
            {
                return r.opsPerSec();
            }
        }
        if (row.mode().equals("fuse"))
        {
            // The plain fs runs before and after the replicated rows: the better of the two.
            return rows.stream().filter(r -> r.system().equals("fuse-plain")).mapToDouble(Row::opsPerSec).max().orElse(0);
        }
        return 0;
    }

    static void plot(final List<Row> rows, final Path png) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(900).height(600)
            .title("fs-metadata: replicated ops/s over a RW-locked single copy (1.0 = locked)").xAxisTitle("replicas")
            .yAxisTitle("ops/s relative to locked single copy").build();
        for (final String mode : new String[] {"prefilled", "pipelined", "sync"})
        {
            for (final String mix : new String[] {"read-heavy", "write-heavy"})
            {
                final List<Double> x = new ArrayList<>();
                final List<Double> y = new ArrayList<>();
                rows.stream().filter(r -> r.mode().equals(mode) && r.mix().equals(mix) && r.system().equals("replicated"))
                    .sorted(Comparator.comparingInt(Row::replicas)).forEach(r ->
                    {
                        final double base = baseline(rows, r);
                        if (base > 0)
                        {
                            x.add((double)r.replicas());
                            y.add(r.opsPerSec() / base);
                        }
                    });
                if (!x.isEmpty())
                {
                    chart.addSeries(mode + " " + mix, x, y);
                }
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            for (final Path path : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
