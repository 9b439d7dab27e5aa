package io.dominoes.channels.ring;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import static io.dominoes.channels.ring.RecordDescriptor.align;
import static io.dominoes.channels.ring.RecordDescriptor.lengthOffset;
import static io.dominoes.channels.ring.RecordDescriptor.payloadOffset;
import static io.dominoes.channels.ring.RecordDescriptor.typeOffset;

/**
 * Publisher of a multi-publisher {@link BroadcastRing}: any number of threads (or processes) may
 * use it concurrently. Each has at most one open claim at a time.
 *
 * <h2>Claim, write, commit in claim order</h2>
 * A publisher claims {@code [claimStart, claimEnd)} with a CAS on the claim tail, writes its record
 * (and the wrap padding if the claim crosses the end), then commits by waiting until the committed
 * tail equals its {@code claimStart} and releasing {@code claimEnd} into it.
 *
 * <p><b>Why a subscriber never reads a stale record.</b> The space a publisher has claimed still
 * holds the bytes of the previous lap until it writes its header, and the previous lap's payload can
 * contain any bit pattern, so no header word or lap stamp written <em>into</em> the record could be
 * told apart from stale user bytes with certainty. Instead subscribers never look past the committed
 * tail, and the committed tail only moves over a claim after that claim's owner wrote it: commits
 * are applied strictly in claim order (a publisher whose predecessors have not committed waits for
 * them). So every byte below the committed tail belongs to a completed record of the current lap.
 * The cost is that a publisher preempted between claim and commit delays later publishers' commits
 * (they yield while waiting), and a publisher that dies with an open claim stops the ring; the
 * committed tail is then the single point every subscriber reads, as in the single-publisher ring.
 */
final class ManyToManyRingPublisher extends RingPublisher
{
    private static final int SPINS_BEFORE_YIELD = 64;

    private final int claimTailOffset;
    private final int headCacheOffset;

    ManyToManyRingPublisher(final BroadcastRing ring)
    {
        super(ring);
        claimTailOffset = capacity + RingDescriptor.CLAIM_TAIL_OFFSET;
        headCacheOffset = capacity + RingDescriptor.HEAD_CACHE_OFFSET;
    }

    /**
     * {@inheritDoc}
     */
    public long offer(final int msgTypeId, final DirectBuffer srcBuffer, final int offset, final int length)
    {
        final long claimStart = claimRecord(msgTypeId, length);
        if (claimStart < 0)
        {
            return claimStart;
        }
        final int alignedLength = align(recordLength(length));
        buffer.putBytes(payloadOffset(recordIndex(claimStart, alignedLength)), srcBuffer, offset, length);
        return publishInOrder(claimStart, claimEnd(claimStart, alignedLength));
    }

    /**
     * {@inheritDoc}
     */
    public long tryClaim(final int msgTypeId, final int length, final BufferClaim bufferClaim)
    {
        final long claimStart = claimRecord(msgTypeId, length);
        if (claimStart < 0)
        {
            return claimStart;
        }
        final int alignedLength = align(recordLength(length));
        bufferClaim.wrap(buffer, payloadOffset(recordIndex(claimStart, alignedLength)), length, this, claimStart);
        return claimEnd(claimStart, alignedLength);
    }

    /**
     * Check the length, claim a record and write its header (plain stores: they become visible with
     * the release of the committed tail in {@link #publishInOrder}).
     *
     * @return the claim start position, or {@link ChannelResult#CLOSED} / {@link ChannelResult#BACK_PRESSURED}.
     */
    private long claimRecord(final int msgTypeId, final int length)
    {
        checkLength(length);
        if (ring.isClosed())
        {
            return ChannelResult.CLOSED;
        }
        final int recordLength = recordLength(length);
        final int alignedLength = align(recordLength);
        final long claimStart = claim(alignedLength);
        if (claimStart < 0)
        {
            return ChannelResult.BACK_PRESSURED;
        }
        final int recordIndex = recordIndex(claimStart, alignedLength);
        final AtomicBuffer buffer = this.buffer;
        buffer.putInt(typeOffset(recordIndex), msgTypeId);
        buffer.putInt(lengthOffset(recordIndex), recordLength);
        return claimStart;
    }

    /**
     * {@inheritDoc}
     */
    public void commit(final long claimStart)
    {
        final int recordIndex = recordIndexOfOpenClaim(claimStart);
        final int alignedLength = align(buffer.getInt(lengthOffset(recordIndex)));
        publishInOrder(claimStart, claimEnd(claimStart, alignedLength));
    }

    /**
     * {@inheritDoc}
     */
    public void abort(final long claimStart)
    {
        final int recordIndex = recordIndexOfOpenClaim(claimStart);
        final int alignedLength = align(buffer.getInt(lengthOffset(recordIndex)));
        convertToPadding(recordIndex);
        publishInOrder(claimStart, claimEnd(claimStart, alignedLength));
    }

    /**
     * Claim space with a CAS on the claim tail. The CAS gives each publisher a disjoint range; it
     * orders nothing else. The capacity check uses the shared head cache, read with acquire: a
     * publisher that stored it had acquired the cursors it was computed from, so the subscribers'
     * reads below it happen-before our writes there (subscriber release cursor -> publisher A acquire
     * cursor, release head cache -> publisher B acquire head cache -> B writes). A stale head cache
     * is only ever too low (cursors grow), which reports back-pressure early, never overwrites.
     *
     * @return the claim start position, or -1 when the slowest subscriber is too far behind.
     */
    private long claim(final int alignedLength)
    {
        final AtomicBuffer buffer = this.buffer;
        long claimStart;
        long end;
        do
        {
            claimStart = buffer.getLongVolatile(claimTailOffset);
            end = claimEnd(claimStart, alignedLength);
            if (end - buffer.getLongAcquire(headCacheOffset) > capacity && !refreshHeadCache(end))
            {
                return -1;
            }
        }
        while (!buffer.compareAndSetLong(claimTailOffset, claimStart, end));

        if (end - claimStart != alignedLength)
        {
            final int index = (int)claimStart & mask;
            writePadding(index, capacity - index);
        }
        return claimStart;
    }

    private boolean refreshHeadCache(final long end)
    {
        final long head = scanMinCursor();
        // Racing publishers may store an older minimum after a newer one; that only lowers the
        // bound (see claim), which costs a rescan, never safety.
        buffer.putLongRelease(headCacheOffset, head);
        return end - head <= capacity;
    }

    private int recordIndex(final long claimStart, final int alignedLength)
    {
        final int index = (int)claimStart & mask;
        return alignedLength <= capacity - index ? index : 0;
    }

    /**
     * The record of an open claim: at the claim start, unless that holds the wrap padding
     * (negative length; our own message header is positive until commit/abort), then at index 0.
     */
    private int recordIndexOfOpenClaim(final long claimStart)
    {
        final int index = (int)claimStart & mask;
        return buffer.getInt(lengthOffset(index)) < 0 ? 0 : index;
    }

    /**
     * Commit in claim order: wait (acquire) until every earlier claim is committed, then release our
     * end. The release publishes our plain stores of header, payload and padding to any subscriber
     * that acquires the tail; the acquire in the wait makes the earlier publishers' records part of
     * what our release publishes (transitively), and only the owner of the claim starting at the
     * committed tail ever stores to it, so a plain release store (no CAS) is enough.
     */
    private long publishInOrder(final long claimStart, final long claimEnd)
    {
        if (buffer.getLongAcquire(tailOffset) != claimStart && !awaitPredecessors(claimStart))
        {
            return ChannelResult.CLOSED;
        }
        buffer.putLongRelease(tailOffset, claimEnd);
        return claimEnd;
    }

    /**
     * @return true once the committed tail reached claimStart, false if the ring was closed first.
     */
    private boolean awaitPredecessors(final long claimStart)
    {
        int spins = 0;
        while (buffer.getLongAcquire(tailOffset) != claimStart)
        {
            if (ring.isClosed())
            {
                return false;
            }
            if (++spins < SPINS_BEFORE_YIELD)
            {
                Thread.onSpinWait();
            }
            else
            {
                // The predecessor may be descheduled (2 cores, more threads): give it the CPU.
                Thread.yield();
            }
        }
        return true;
    }
}
