package io.dominoes.bench.experiments.fs;

import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.service.FsOpStream;
import io.dominoes.fs.state.Attr;
import io.dominoes.fs.state.FsState;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The locked baseline of the pre-filled mode: the same op records as the replicated run, executed by
 * {@code threads} threads against one {@link FsState} under a {@link ReentrantReadWriteLock} (reads under
 * the read lock, mutations under the write lock with the next sequence number). Thread {@code t} runs the
 * ops of the pseudo-clients {@code c} with {@code c mod threads == t}, in list order, so each client's
 * cycle keeps its order (an atomic index over the whole list would let a rename overtake its create).
 * No journal inside the clock: the replicated run journals its stream while publishing it, before its
 * clock starts, so neither side journals while timed.
 */
final class LockedStreamRunner
{
    /** One timed run. */
    record Result(long ops, long nanos, long unexpected, String firstUnexpected)
    {
    }

    private final FsState state = new FsState(0, 1);
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long seq;

    /** Set-up (untimed): create {@code p0..p(n-1)} in the root. */
    long[] precreate(final int files)
    {
        final io.dominoes.fs.ops.FsOpEncoder e = new io.dominoes.fs.ops.FsOpEncoder();
        final long[] inos = new long[files];
        for (int i = 0; i < files; i++)
        {
            final int length = e.create(0, 0, 0, FsLimits.ROOT_INO, "p" + i, 0644);
            e.flyweight().seq(++seq);
            inos[i] = state.apply(e.flyweight(), length);
        }
        return inos;
    }

    Result run(final FsOpStream stream, final int threads) throws InterruptedException
    {
        final int[][] mine = new int[threads][];
        final int n = stream.count();
        final int[] counts = new int[threads];
        for (int i = 0; i < n; i++)
        {
            counts[FsOpStreams.client(i) % threads]++;
        }
        for (int t = 0; t < threads; t++)
        {
            mine[t] = new int[counts[t]];
            counts[t] = 0;
        }
        for (int i = 0; i < n; i++)
        {
            final int t = FsOpStreams.client(i) % threads;
            mine[t][counts[t]++] = i;
        }
        final CountDownLatch ready = new CountDownLatch(threads);
        final CountDownLatch go = new CountDownLatch(1);
        final long[] unexpected = new long[threads * 16];
        final String[] first = new String[threads];
        final Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            final int id = t;
            workers[t] = new Thread(() ->
            {
                final FsOpFlyweight op = new FsOpFlyweight();
                final Attr attr = new Attr();
                final byte[] scratch = new byte[FsOpFlyweight.MAX_NAME_FIELD];
                final DirectBuffer buffer = stream.buffer();
                ready.countDown();
                try
                {
                    go.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                long bad = 0;
                for (final int i : mine[id])
                {
                    final int length = stream.length(i);
                    op.wrap(buffer, stream.offset(i), length);
                    final long result = execute(op, length, attr, scratch);
                    if (!stream.matches(i, result))
                    {
                        if (bad++ == 0)
                        {
                            first[id] = "op " + i + " (" + OpCode.name(op.opCode()) + ") returned " + result;
                        }
                    }
                }
                unexpected[id * 16] = bad;
            }, "fs-locked-" + t);
            workers[t].start();
        }
        ready.await();
        final long start = System.nanoTime();
        go.countDown();
        for (final Thread w : workers)
        {
            w.join();
        }
        final long nanos = System.nanoTime() - start;
        long bad = 0;
        String firstBad = null;
        for (int t = 0; t < threads; t++)
        {
            bad += unexpected[t * 16];
            firstBad = null == firstBad ? first[t] : firstBad;
        }
        return new Result(n, nanos, bad, firstBad);
    }

    private long execute(final FsOpFlyweight op, final int length, final Attr attr, final byte[] scratch)
    {
        final int code = op.opCode();
        if (OpCode.isRead(code))
        {
            // Decode the name on this thread (FsState's own scratch is for its single writer).
            final String name = code == OpCode.LOOKUP ? name(op, scratch) : null;
            lock.readLock().lock();
            try
            {
                return code == OpCode.GETATTR ? state.getattr(op.ino(), attr) :
                    state.lookup(op.ino(), name, op.uid(), op.gid(), attr);
            }
            finally
            {
                lock.readLock().unlock();
            }
        }
        lock.writeLock().lock();
        try
        {
            op.seq(++seq);
            return state.apply(op, length);
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    private static String name(final FsOpFlyweight op, final byte[] scratch)
    {
        final int length = op.name1Length();
        op.buffer().getBytes(op.name1Offset(), scratch, 0, length);
        return new String(scratch, 0, length, StandardCharsets.ISO_8859_1);
    }
}
