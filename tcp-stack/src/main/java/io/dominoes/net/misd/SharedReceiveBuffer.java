package io.dominoes.net.misd;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The one application receive buffer of a replicated connection, and each replica's completion mark.
 *
 * <h2>Bytes</h2>
 * A ring indexed by stream position ({@code position & (capacity - 1)}), the same capacity as each replica's
 * socket receive buffer. A segment's payload is copied in by its owner replica only, or, for a range of at least
 * the {@link PayloadCopySplit} threshold, each chunk of it by that chunk's owner; replicas write disjoint or
 * byte-identical regions (a retransmission carries the same bytes at the same positions), so concurrent
 * writers never disagree. A socket never reports a range at or beyond {@code consumed + capacity}
 * ({@link io.dominoes.net.tcp.TcpReceiveSink}), and {@code consumed} on a replica only grows through APP_READ
 * events, which the application publishes after it has copied those bytes out: the channel's commit (release)
 * and the replica's poll (acquire) order the application's reads before any overwrite.
 *
 * <h2>Completion marks</h2>
 * After handling an event, replica {@code r} stores (release) its mark {@code M_r}: its socket's in-order
 * stream position {@code F(s_r)} after its event {@code s_r}. Every replica computes the same {@code F(s)} at the
 * same {@code s} and {@code F} never decreases, so {@code min_r M_r = F(min_r s_r)}. The application may read
 * every byte below {@code m = min_r M_r} (loaded with acquire): take a byte {@code p < m} and the first event
 * {@code e_p} whose range covered it; its owner {@code o} copied {@code p} while handling {@code e_p}. The mark
 * the application loaded from {@code o} is {@code F(s_o) > p}, so {@code p} was in order at {@code s_o}, so
 * {@code e_p <= s_o}: {@code o} stored that mark after handling {@code e_p}, i.e. after the copy, and the
 * acquire load that saw the mark makes the copy visible. Replicas that are behind hold the minimum down;
 * replicas ahead never expose bytes early.
 * <p>
 * <b>Split copies.</b> The argument only needs "the replica that copied {@code p} did so while handling
 * {@code e_p}, before storing its mark after {@code e_p}", not that one replica copied the whole segment. With a
 * split copy, {@code o} is the owner of the chunk holding {@code p}: a function of {@code e_p}'s key and of
 * {@code p} only ({@link PayloadCopySplit#chunkOwner}), and whether {@code e_p}'s range is split at all is a
 * function of its replicated length, so every replica agrees on {@code o} without communicating, and {@code o}
 * copied {@code p} inside its handler of {@code e_p}. The rest is unchanged: {@code o}'s loaded mark
 * {@code F(s_o) > p} gives {@code e_p <= s_o}, so the copy precedes the release of that mark. Chunks of one
 * range are disjoint, so each byte still has one writer per event.
 *
 * <h2>Copy counters</h2>
 * Per replica, bytes it copied in and split ranges it copied a share of: diagnostics, single writer each (the
 * replica's thread), read racily by reporting code.
 */
public final class SharedReceiveBuffer
{
    private static final int PAD = 16; // 128 bytes between replicas' slots: no false sharing
    private static final int MARK = 0;
    private static final int EMITTED = 1;
    private static final int COPIED = 2;
    private static final int SPLIT_COPIES = 3;

    private final UnsafeBuffer data;
    private final int capacity;
    private final int mask;
    private final int replicas;
    private final AtomicLongArray slots;
    private final PayloadCopySplit split;
    /**
     * The position a blocked {@link #awaitMinMark} caller waits for, {@link Long#MAX_VALUE} when none waits.
     * Written by that caller only, read by the replicas after each mark they publish.
     */
    private volatile long wakePosition = Long.MAX_VALUE;
    private volatile Thread waiter;

    /**
     * @param capacity power of two, the sockets' receive buffer capacity.
     * @param replicas number of replicas that publish marks.
     */
    public SharedReceiveBuffer(final int capacity, final int replicas)
    {
        this(capacity, replicas, PayloadCopySplit.DEFAULT);
    }

    /**
     * @param capacity power of two, the sockets' receive buffer capacity.
     * @param replicas number of replicas that publish marks.
     * @param split    how replicas divide the copy of large ranges.
     */
    public SharedReceiveBuffer(final int capacity, final int replicas, final PayloadCopySplit split)
    {
        if (null == split)
        {
            throw new IllegalArgumentException("split must not be null");
        }
        if (capacity < 16 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two >= 16");
        }
        if (replicas < 1)
        {
            throw new IllegalArgumentException("replicas=" + replicas + " must be >= 1");
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.replicas = replicas;
        this.data = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity, 64));
        this.slots = new AtomicLongArray((replicas + 1) * PAD);
        this.split = split;
    }

    /**
     * @return how replicas divide the copy of large ranges.
     */
    public PayloadCopySplit split()
    {
        return split;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return replicas that publish marks.
     */
    public int replicas()
    {
        return replicas;
    }

    /**
     * Copy a payload range in at its stream position (owner replica only).
     */
    public void write(final long position, final DirectBuffer src, final int srcOffset, final int length)
    {
        final int start = (int)(position & mask);
        final int first = Math.min(length, capacity - start);
        data.putBytes(start, src, srcOffset, first);
        if (first < length)
        {
            data.putBytes(0, src, srcOffset + first, length - first);
        }
    }

    /**
     * Copy bytes out (application), positions below {@link #minMark()} only.
     */
    public void read(final long position, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final int start = (int)(position & mask);
        final int first = Math.min(length, capacity - start);
        dst.putBytes(dstOffset, data, start, first);
        if (first < length)
        {
            dst.putBytes(dstOffset + first, data, 0, length - first);
        }
    }

    /**
     * Fold {@code length} bytes from {@code position} into an FNV-1a style digest (verification, not hot path).
     */
    public long digest(final long seed, final long position, final long length)
    {
        long h = seed;
        for (long i = 0; i < length; i++)
        {
            h = (h ^ data.getByte((int)((position + i) & mask))) * 0x100000001B3L;
        }
        return h;
    }

    /**
     * Replica {@code r} has handled its events up to one whose socket's in-order position is {@code mark}, and
     * sent {@code emitted} frames in total (replicated count).
     */
    public void publish(final int replica, final long mark, final long emitted)
    {
        final int slot = (replica + 1) * PAD;
        slots.lazySet(slot + EMITTED, emitted);
        // release: this replica's payload copies for all events up to here happen-before a reader that acquires
        // the mark (class javadoc); also orders the emitted count before it.
        slots.lazySet(slot + MARK, mark);
        // A blocked reader waits for some position: only once this replica's own mark has reached it can the
        // minimum have (one plain load per event on x86 otherwise).
        if (mark >= wakePosition)
        {
            wakeWaiter();
        }
    }

    private void wakeWaiter()
    {
        final long position = wakePosition;
        final Thread t = waiter;
        if (null != t && minMark() >= position)
        {
            LockSupport.unpark(t); // several replicas may unpark it: a spare permit only ends one park early
        }
    }

    /**
     * Block until every replica's completion mark is at or past {@code position} (the bytes below it are then
     * readable, {@link #minMark()}), or the timeout. For one waiting thread at a time: the application's reader.
     * <p>
     * The waiter stores the position (volatile), then re-reads the marks before each park; a replica stores its
     * mark (release), then reads the position. Without a full fence on the replica's side both may read the old
     * value (store-load reordering), so the waiter never parks longer than {@code maxParkNs}: a wake-up missed in
     * that window of a few instructions is delayed by at most that, never lost. The replicas' hot path stays at
     * one load per event.
     *
     * @param position  stream position to wait for.
     * @param timeoutNs longest wait in total, {@code >= 0}.
     * @param maxParkNs longest single park, {@code > 0} (the bound on a missed wake-up).
     * @return the minimum mark when the wait ended: {@code >= position} unless it timed out.
     */
    public long awaitMinMark(final long position, final long timeoutNs, final long maxParkNs)
    {
        if (timeoutNs < 0 || maxParkNs <= 0)
        {
            throw new IllegalArgumentException("timeoutNs=" + timeoutNs + " must be >= 0 and maxParkNs=" + maxParkNs +
                " > 0");
        }
        long min = minMark();
        if (min >= position)
        {
            return min;
        }
        final long deadlineNs = System.nanoTime() + timeoutNs;
        waiter = Thread.currentThread();
        wakePosition = position;
        try
        {
            while ((min = minMark()) < position)
            {
                final long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0)
                {
                    break;
                }
                LockSupport.parkNanos(this, Math.min(leftNs, maxParkNs));
            }
        }
        finally
        {
            wakePosition = Long.MAX_VALUE;
            waiter = null;
        }
        return min;
    }

    /**
     * @return the smallest completion mark: bytes below it are in the buffer (acquire loads, class javadoc).
     */
    public long minMark()
    {
        long min = Long.MAX_VALUE;
        for (int r = 0; r < replicas; r++)
        {
            min = Math.min(min, slots.get((r + 1) * PAD + MARK));
        }
        return min;
    }

    /**
     * @return replica {@code r}'s completion mark.
     */
    public long mark(final int replica)
    {
        return slots.get((replica + 1) * PAD + MARK);
    }

    /**
     * Replica {@code r} copied {@code bytes} of one range in; {@code splitRange}: its share of a split range.
     * Called by replica {@code r}'s thread only.
     */
    public void countCopy(final int replica, final int bytes, final boolean splitRange)
    {
        final int slot = (replica + 1) * PAD;
        // single writer: a plain read and an ordered store make the update atomic for readers (diagnostics only,
        // nothing is ordered by it); the slot's line is the one the mark is stored to anyway
        slots.setRelease(slot + COPIED, slots.getPlain(slot + COPIED) + bytes);
        if (splitRange)
        {
            slots.setRelease(slot + SPLIT_COPIES, slots.getPlain(slot + SPLIT_COPIES) + 1);
        }
    }

    /**
     * @return bytes replica {@code r} copied in so far.
     */
    public long copiedBytes(final int replica)
    {
        return slots.getAcquire((replica + 1) * PAD + COPIED);
    }

    /**
     * @return split ranges replica {@code r} copied a share of so far.
     */
    public long splitCopies(final int replica)
    {
        return slots.getAcquire((replica + 1) * PAD + SPLIT_COPIES);
    }

    /**
     * @return "copied=[b0 b1 ..] split-copies=[s0 s1 ..]" per replica (diagnostics, read racily).
     */
    public String copyReport()
    {
        final StringBuilder copied = new StringBuilder("copied=[");
        final StringBuilder splits = new StringBuilder(" split-copies=[");
        for (int r = 0; r < replicas; r++)
        {
            copied.append(r == 0 ? "" : " ").append(copiedBytes(r));
            splits.append(r == 0 ? "" : " ").append(splitCopies(r));
        }
        return copied.append(']').append(splits).append(']').toString();
    }

    /**
     * @return the emission count replica {@code r} last published.
     */
    public long emitted(final int replica)
    {
        return slots.get((replica + 1) * PAD + EMITTED);
    }
}
