package io.dominoes.bench.experiments.fs;

import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.service.FsOpStream;
import io.dominoes.fs.service.FsPipeline;
import io.dominoes.fs.service.FsService;
import io.dominoes.fs.service.StreamFootprint;
import io.dominoes.fs.state.Attr;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The two throughput modes of {@code scaling fs-metadata} that keep clients from being the bottleneck:
 *
 * <ul>
 *   <li><b>prefilled</b>: the op list ({@link FsOpStreams}) is encoded before timing and published, whole,
 *       into the paused replicas' channel ({@link FsService#runStream}); the clock runs from releasing the
 *       replicas until every op was answered exactly once with its expected result class. The source takes
 *       no core while the clock runs (as in the TCP benchmark's pre-filled log). The locked baseline runs the
 *       same records on as many threads as the replicated row has replicas ({@link LockedStreamRunner}).</li>
 *   <li><b>pipelined</b>: one client thread with an {@link FsPipeline} of {@code window} outstanding ops
 *       runs the same mix live (submit without waiting, completions polled), timed over the whole list.</li>
 * </ul>
 * Each point is the best of {@code repeat} runs, after {@link #WARMUP_RUNS} unmeasured warm-up runs when
 * {@code repeat > 1}.
 */
final class FsStreamModes
{
    /**
     * Unmeasured runs before each point. One was too few: the first replicated point of a mix (N=1) was still
     * being compiled in its measured runs, the N=2 point after it was not, which inflated N=2/N=1 (best of 3:
     * 1.8x with N=1 at 8M ops/s; best of 10 on the same build: 1.4-1.6x with N=1 at 11M).
     */
    static final int WARMUP_RUNS = 3;

    private final FsMetadataScaling.Params p;
    private final PrintStream log;

    FsStreamModes(final FsMetadataScaling.Params p, final PrintStream log)
    {
        this.p = p;
        this.log = log;
    }

    List<FsMetadataScaling.Row> prefilled() throws Exception
    {
        final List<FsMetadataScaling.Row> rows = new ArrayList<>();
        for (final String mix : new String[] {"read-heavy", "write-heavy"})
        {
            final boolean readHeavy = mix.equals("read-heavy");
            final int ops = readHeavy ? p.streamOps : Math.max(1, p.streamOps / 2);
            for (int n = 1; n <= p.maxReplicas; n++)
            {
                rows.add(lockedPoint(mix, readHeavy, ops, n));
            }
            for (int n = 1; n <= p.maxReplicas; n++)
            {
                rows.add(replicatedPoint(mix, readHeavy, ops, n));
            }
        }
        return rows;
    }

    private FsMetadataScaling.Row lockedPoint(final String mix, final boolean readHeavy, final int ops, final int threads)
        throws InterruptedException
    {
        long best = Long.MAX_VALUE;
        long count = 0;
        for (int rep = p.repeat > 1 ? -WARMUP_RUNS : 0; rep < p.repeat; rep++)
        {
            final LockedStreamRunner locked = new LockedStreamRunner();
            final long[] inos = locked.precreate(p.files);
            final FsOpStream stream = FsOpStreams.generate(readHeavy, ops, inos);
            final LockedStreamRunner.Result r = locked.run(stream, threads);
            if (r.unexpected() != 0)
            {
                throw new IllegalStateException(mix + " locked x" + threads + ": " + r.unexpected() +
                    " unexpected results, first: " + r.firstUnexpected());
            }
            best = rep < 0 ? best : Math.min(best, r.nanos());
            count = r.ops();
        }
        return report("prefilled", mix, "locked", threads, 0, count, best);
    }

    private FsMetadataScaling.Row replicatedPoint(final String mix, final boolean readHeavy, final int ops,
        final int replicas) throws IOException
    {
        final Path dir = Files.createTempDirectory("fs-scaling-stream-");
        final long[] inos = new long[p.files];
        final LockedStreamRunner reference = new LockedStreamRunner();
        final long[] expectedInos = reference.precreate(p.files);
        final FsOpStream stream = FsOpStreams.generate(readHeavy, ops, expectedInos);
        // Mutations go through the channel, reads to their owners' direct inputs: room for each.
        final StreamFootprint footprint = StreamFootprint.of(stream, replicas);
        final FsService.Context ctx = new FsService.Context().directory(dir).replicas(replicas).snapshotEveryOps(0)
            .snapshotOnClose(false).channelCapacity(StreamFootprint.capacityFor(footprint.channelBytes(), 1 << 21))
            .directCapacity(StreamFootprint.capacityFor(footprint.maxDirectBytes(), 1 << 20)).pinReplicas(p.pin);
        if (null != p.idle)
        {
            ctx.idleStrategy(io.dominoes.core.idle.IdleStrategies.byName(p.idle));
        }
        try (FsService fs = FsService.open(ctx))
        {
            final Attr attr = new Attr();
            for (int i = 0; i < p.files; i++)
            {
                inos[i] = fs.create(0, 0, FsLimits.ROOT_INO, "p" + i, 0644, attr);
            }
            if (!Arrays.equals(inos, expectedInos))
            {
                throw new IllegalStateException("pre-created inode numbers differ from the locked copy's");
            }
            long best = Long.MAX_VALUE;
            for (int rep = p.repeat > 1 ? -WARMUP_RUNS : 0; rep < p.repeat; rep++)
            {
                final long[] t = new long[2];
                final FsService.StreamResult r = fs.runStream(stream, () -> t[0] = System.nanoTime(),
                    () -> t[1] = System.nanoTime(), 600_000);
                if (!r.ok())
                {
                    throw new IllegalStateException(mix + " replicated x" + replicas + ": " + r);
                }
                best = rep < 0 ? best : Math.min(best, t[1] - t[0]);
            }
            return report("prefilled", mix, "replicated", replicas, 0, stream.count(), best);
        }
        finally
        {
            FsMetadataScaling.deleteTree(dir);
        }
    }

    List<FsMetadataScaling.Row> pipelined() throws Exception
    {
        final List<FsMetadataScaling.Row> rows = new ArrayList<>();
        for (final String mix : new String[] {"read-heavy", "write-heavy"})
        {
            final boolean readHeavy = mix.equals("read-heavy");
            final int ops = Math.max(1000, (readHeavy ? p.streamOps : p.streamOps / 2) / 4);
            for (int n = 1; n <= p.maxReplicas; n++)
            {
                rows.add(pipelinedPoint(mix, readHeavy, ops, n));
            }
        }
        return rows;
    }

    private FsMetadataScaling.Row pipelinedPoint(final String mix, final boolean readHeavy, final int ops,
        final int replicas) throws IOException
    {
        final Path dir = Files.createTempDirectory("fs-scaling-pipe-");
        final FsService.Context ctx = new FsService.Context().directory(dir).replicas(replicas).snapshotEveryOps(0)
            .snapshotOnClose(false); // never pinned: the client thread needs a core too
        if (null != p.idle)
        {
            ctx.idleStrategy(io.dominoes.core.idle.IdleStrategies.byName(p.idle));
        }
        try (FsService fs = FsService.open(ctx))
        {
            final Attr attr = new Attr();
            final long[] inos = new long[p.files];
            final String[] names = new String[p.files];
            for (int i = 0; i < p.files; i++)
            {
                names[i] = "p" + i;
                inos[i] = fs.create(0, 0, FsLimits.ROOT_INO, names[i], 0644, attr);
            }
            long best = Long.MAX_VALUE;
            try (FsPipeline pipe = fs.newPipeline(p.window))
            {
                for (int rep = p.repeat > 1 ? -WARMUP_RUNS : 0; rep < p.repeat; rep++)
                {
                    final long nanos = pipelineRun(pipe, readHeavy, ops, inos, names);
                    best = rep < 0 ? best : Math.min(best, nanos);
                }
            }
            return report("pipelined", mix, "replicated", replicas, 1, ops, best);
        }
        finally
        {
            FsMetadataScaling.deleteTree(dir);
        }
    }

    /** One client, the mix generated on the fly (no allocation per op); @return nanoseconds for {@code ops}. */
    private static long pipelineRun(final FsPipeline pipe, final boolean readHeavy, final int ops, final long[] inos,
        final String[] names)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final long[] failures = new long[1];
        final FsPipeline.Completion completion = (tag, opCode, result, attr) ->
        {
            if (result < 0 && failures[0]++ == 0)
            {
                throw new IllegalStateException("pipelined " + OpCode.name(opCode) + " (op " + tag + ") failed: " + result);
            }
        };
        int phase = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < ops; i++)
        {
            final int r = readHeavy ? random.nextInt(100) : 100;
            boolean submitted;
            do
            {
                if (r < 45)
                {
                    submitted = pipe.getattr(inos[random.nextInt(inos.length)], i);
                }
                else if (r < 90)
                {
                    submitted = pipe.lookup(0, 0, FsLimits.ROOT_INO, names[random.nextInt(names.length)], i);
                }
                else
                {
                    submitted = switch (phase)
                    {
                        case 0 -> pipe.create(0, 0, FsLimits.ROOT_INO, "q", 0644, i);
                        case 1 -> pipe.lookup(0, 0, FsLimits.ROOT_INO, "q", i);
                        case 2 -> pipe.rename(0, 0, FsLimits.ROOT_INO, "q", FsLimits.ROOT_INO, "q-renamed", 0, i);
                        default -> pipe.unlink(0, 0, FsLimits.ROOT_INO, "q-renamed", i);
                    };
                    if (submitted)
                    {
                        phase = (phase + 1) & 3;
                    }
                }
                if (!submitted)
                {
                    pipe.awaitSome(completion);
                }
            }
            while (!submitted);
        }
        pipe.drain(completion);
        final long nanos = System.nanoTime() - start;
        // Leave the namespace as found, so the next repetition starts from the same state.
        while (phase != 0)
        {
            final int ph = phase;
            while (!(switch (ph)
            {
                case 1 -> pipe.lookup(0, 0, FsLimits.ROOT_INO, "q", -1);
                case 2 -> pipe.rename(0, 0, FsLimits.ROOT_INO, "q", FsLimits.ROOT_INO, "q-renamed", 0, -1);
                default -> pipe.unlink(0, 0, FsLimits.ROOT_INO, "q-renamed", -1);
            }))
            {
                pipe.awaitSome(completion);
            }
            phase = (phase + 1) & 3;
        }
        pipe.drain(completion);
        return nanos;
    }

    private FsMetadataScaling.Row report(final String mode, final String mix, final String system, final int replicas,
        final int clients, final long ops, final long nanos)
    {
        final FsMetadataScaling.Row row = new FsMetadataScaling.Row(mode, mix, system, replicas, clients, ops, nanos / 1e9);
        log.printf("%-10s %-11s %-10s %s=%d %,12.0f ops/s (best of %d, %,d ops)%n", mode, mix, system,
            system.equals("locked") ? "threads" : "replicas", replicas, row.opsPerSec(), p.repeat, ops);
        return row;
    }
}
