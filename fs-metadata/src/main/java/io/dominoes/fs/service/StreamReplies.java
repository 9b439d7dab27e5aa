package io.dominoes.fs.service;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where the replies of a pre-filled {@link FsOpStream} land: every op must be answered exactly once, with
 * its expected result class. Preallocated before the run; a reply writes only state of its owner
 * replica (a bit set per owner, counters 128 bytes apart), so replicas never write the same cache line
 * and nothing is allocated per reply.
 *
 * <p>Ordering: each owner's counters have a single writer (the owner's thread; emit once), stored with
 * {@code lazySet} (release) after its bit and failure fields; {@link #answered()} reads them with
 * {@code get} (acquire), so once the sum reaches the op count every reply's effects are visible to the
 * waiting thread.
 */
final class StreamReplies
{
    private static final int STRIDE = 16; // longs: 128 bytes between owners' counters
    private static final int ANSWERED = 0;
    private static final int DUPLICATES = 1;
    private static final int UNEXPECTED = 2;
    private static final int STALE = 3;

    private final FsOpStream stream;
    private final int owners;
    private final byte[] ownerOf;
    private final int[] opOfSeq;
    private final long[][] seen;
    private final AtomicLongArray counters;
    private final int[] firstUnexpected;
    private final long[] firstUnexpectedResult;
    /** Ops each owner will answer, known before the run; written by the publisher before the replicas start. */
    private final int[] expectedOf;
    /** Counted down once by each owner as it answers its last op: the waiting thread sleeps until then. */
    private final CountDownLatch ownersDone;
    private long baseSeq;
    private int mutations;

    StreamReplies(final FsOpStream stream, final int owners)
    {
        this.stream = stream;
        this.owners = owners;
        final int n = stream.count();
        ownerOf = new byte[n];
        opOfSeq = new int[n];
        seen = new long[owners][(n + 63) >>> 6];
        counters = new AtomicLongArray((owners + 1) * STRIDE);
        firstUnexpected = new int[owners * STRIDE];
        firstUnexpectedResult = new long[owners * STRIDE];
        java.util.Arrays.fill(firstUnexpected, -1);
        expectedOf = new int[owners];
        ownersDone = new CountDownLatch(owners);
    }

    /**
     * Publisher side, after the last {@link #read}/{@link #mutation} and before the replicas are released (the
     * release is the happens-before edge for {@link #expectedOf}): an owner with nothing to answer is done now.
     */
    void sealed()
    {
        for (int i = 0; i < owners; i++)
        {
            if (expectedOf[i] == 0)
            {
                ownersDone.countDown();
            }
        }
    }

    /**
     * Sleep until every owner has answered all its ops (no polling: a waiter that woke every 100 us took a core
     * from a replica each time on a machine with as many cores as replicas), a replica failed or the deadline
     * passed.
     *
     * @param deadlineNs  {@link System#nanoTime()} to give up at.
     * @param checkFailed throws if the replicas failed; run every 10 ms.
     */
    void awaitAnswered(final long deadlineNs, final Runnable checkFailed)
    {
        try
        {
            while (!ownersDone.await(Math.min(10_000_000L, Math.max(0, deadlineNs - System.nanoTime())),
                TimeUnit.NANOSECONDS))
            {
                checkFailed.run();
                if (System.nanoTime() - deadlineNs >= 0)
                {
                    return;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Publisher side, before the run: op {@code op} is a read owned by {@code owner}. */
    void read(final int op, final int owner)
    {
        ownerOf[op] = (byte)owner;
        expectedOf[owner]++;
    }

    /** Publisher side, before the run: op {@code op} is a mutation with sequence {@code seq}. */
    void mutation(final int op, final long seq, final int owner)
    {
        if (mutations == 0)
        {
            baseSeq = seq;
        }
        if (seq != baseSeq + mutations)
        {
            throw new IllegalStateException("stream mutations must have consecutive sequences: " + seq +
                " after " + (baseSeq + mutations - 1));
        }
        opOfSeq[mutations++] = op;
        ownerOf[op] = (byte)owner;
        expectedOf[owner]++;
    }

    /**
     * Replica side (the owner's outbox drain).
     *
     * @return false if the reply names no op of the stream.
     */
    boolean onReply(final int slot, final long token, final long result)
    {
        final int op;
        if (slot == FsEvents.STREAM_READ_SLOT)
        {
            if (token < 0 || token >= ownerOf.length)
            {
                return false;
            }
            op = (int)token;
        }
        else
        {
            final long k = token - baseSeq;
            if (k < 0 || k >= mutations)
            {
                return false;
            }
            op = opOfSeq[(int)k];
        }
        final int owner = ownerOf[op];
        final int base = owner * STRIDE;
        final long[] bits = seen[owner];
        final long mask = 1L << op;
        if ((bits[op >>> 6] & mask) != 0)
        {
            counters.lazySet(base + DUPLICATES, counters.get(base + DUPLICATES) + 1);
            return true;
        }
        bits[op >>> 6] |= mask;
        if (!stream.matches(op, result))
        {
            if (firstUnexpected[base] < 0)
            {
                firstUnexpected[base] = op;
                firstUnexpectedResult[base] = result;
            }
            counters.lazySet(base + UNEXPECTED, counters.get(base + UNEXPECTED) + 1);
        }
        final long answered = counters.get(base + ANSWERED) + 1;
        counters.lazySet(base + ANSWERED, answered); // release: after the bit
        if (answered == expectedOf[owner])
        {
            ownersDone.countDown(); // once per owner; also a release the waiter's await acquires
        }
        return true;
    }

    /** @return distinct ops answered so far (acquire). */
    long answered()
    {
        long sum = 0;
        for (int i = 0; i < owners; i++)
        {
            sum += counters.get(i * STRIDE + ANSWERED);
        }
        return sum;
    }

    private long sum(final int field)
    {
        long sum = 0;
        for (int i = 0; i < owners; i++)
        {
            sum += counters.get(i * STRIDE + field);
        }
        return sum;
    }

    FsService.StreamResult result(final long staleReplies)
    {
        String first = null;
        for (int i = 0; i < owners && null == first; i++)
        {
            final int op = firstUnexpected[i * STRIDE];
            if (op >= 0)
            {
                first = "op " + op + " (" + io.dominoes.fs.ops.OpCode.name(stream.opCode(op)) + ") returned " +
                    firstUnexpectedResult[i * STRIDE];
            }
        }
        return new FsService.StreamResult(stream.count(), answered(), sum(DUPLICATES), sum(UNEXPECTED),
            staleReplies + sum(STALE), first);
    }
}
