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
 * Two cache lines between {@link RingPublisher}'s read-only fields (and whatever object the allocator
 * put before this one, e.g. the {@link BroadcastRing} whose closed flag every subscriber reads on
 * each poll) and the publisher's hot fields, which it writes on every message.
 */
abstract class OneToManyRingPublisherLhsPad extends RingPublisher
{
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    OneToManyRingPublisherLhsPad(final BroadcastRing ring)
    {
        super(ring);
    }
}

/**
 * The publishing thread's own counters, written on every message and read by no other thread.
 */
abstract class OneToManyRingPublisherFields extends OneToManyRingPublisherLhsPad
{
    /**
     * Next position to write at; equals {@link #committedTail} unless a claim is open.
     */
    long tail;
    long committedTail;
    /**
     * A lower bound of the slowest cursor: cursors only grow, so a value read earlier is never
     * above the current minimum, and using it can only report back-pressure too early, never
     * overwrite unread records.
     */
    long headCache;

    OneToManyRingPublisherFields(final BroadcastRing ring)
    {
        super(ring);
    }
}

/**
 * Publisher of a single-publisher {@link BroadcastRing}: one thread at a time. The tail and the
 * cached minimum cursor are plain fields of the publishing thread, padded on both sides so the
 * stores to them never invalidate a line another thread reads; the only shared store per message
 * is the release of the committed tail.
 */
final class OneToManyRingPublisher extends OneToManyRingPublisherFields
{
    long p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32;

    OneToManyRingPublisher(final BroadcastRing ring)
    {
        super(ring);
        // Attaching to a ring another process created: continue from its committed tail.
        tail = buffer.getLongAcquire(tailOffset);
        committedTail = tail;
        headCache = scanMinCursor();
    }

    /**
     * {@inheritDoc}
     */
    public long offer(final int msgTypeId, final DirectBuffer srcBuffer, final int offset, final int length)
    {
        final int recordIndex = claimRecord(msgTypeId, length);
        if (recordIndex < 0)
        {
            return recordIndex;
        }
        buffer.putBytes(payloadOffset(recordIndex), srcBuffer, offset, length);
        return publish();
    }

    /**
     * {@inheritDoc}
     */
    public long tryClaim(final int msgTypeId, final int length, final BufferClaim bufferClaim)
    {
        final int recordIndex = claimRecord(msgTypeId, length);
        if (recordIndex < 0)
        {
            return recordIndex;
        }
        bufferClaim.wrap(buffer, payloadOffset(recordIndex), length, this, recordIndex);
        return tail;
    }

    /**
     * {@inheritDoc}
     */
    public void commit(final long recordIndex)
    {
        publish();
    }

    /**
     * {@inheritDoc}
     */
    public void abort(final long recordIndex)
    {
        convertToPadding((int)recordIndex);
        publish();
    }

    /**
     * Check the length, reserve a record and write its header (plain stores: they become visible
     * with the release of the tail in {@link #publish()}).
     *
     * @return index of the record, or {@link ChannelResult#CLOSED} / {@link ChannelResult#BACK_PRESSURED}
     *         (as an int, negative).
     */
    private int claimRecord(final int msgTypeId, final int length)
    {
        checkLength(length);
        if (ring.isClosed())
        {
            return (int)ChannelResult.CLOSED;
        }
        final int recordLength = recordLength(length);
        final int recordIndex = claim(recordLength);
        if (recordIndex < 0)
        {
            return (int)ChannelResult.BACK_PRESSURED;
        }
        final AtomicBuffer buffer = this.buffer;
        buffer.putInt(typeOffset(recordIndex), msgTypeId);
        buffer.putInt(lengthOffset(recordIndex), recordLength);
        return recordIndex;
    }

    /**
     * Reserve space for a record at {@link #tail}, writing the wrap padding if needed.
     *
     * @return index of the record, or -1 when the slowest subscriber is too far behind.
     */
    private int claim(final int recordLength)
    {
        final long tail = this.tail;
        if (tail != committedTail)
        {
            throw openClaim();
        }
        final int alignedLength = align(recordLength);
        final long end = claimEnd(tail, alignedLength);
        if (end - headCache > capacity && !refreshHeadCache(end))
        {
            return -1;
        }
        int recordIndex = (int)tail & mask;
        if (end - tail != alignedLength)
        {
            writePadding(recordIndex, capacity - recordIndex);
            recordIndex = 0;
        }
        this.tail = end;
        return recordIndex;
    }

    private boolean refreshHeadCache(final long end)
    {
        headCache = scanMinCursor();
        return end - headCache <= capacity;
    }

    /**
     * Release the tail: the record's header and payload (and any padding before it) were written
     * with plain stores before this; a subscriber that reads the tail with acquire therefore sees all
     * of them (release/acquire pair on the tail, see {@link RingSubscriber#poll}).
     */
    private long publish()
    {
        final long end = tail;
        buffer.putLongRelease(tailOffset, end);
        committedTail = end;
        return end;
    }

    private IllegalStateException openClaim()
    {
        return new IllegalStateException(
            "a claim is still open at position " + committedTail +
            ": commit or abort it before the next offer/tryClaim on a single-publisher ring");
    }
}
