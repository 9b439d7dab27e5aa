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
 * Publisher of a single-publisher {@link BroadcastRing}: one thread at a time. The tail and the
 * cached minimum cursor are plain fields of the publishing thread; the only shared store per message
 * is the release of the committed tail.
 */
final class OneToManyRingPublisher extends RingPublisher
{
    /**
     * Next position to write at; equals {@link #committedTail} unless a claim is open.
     */
    private long tail;
    private long committedTail;
    /**
     * A lower bound of the slowest cursor: cursors only grow, so a value read earlier is never
     * above the current minimum, and using it can only report back-pressure too early, never
     * overwrite unread records.
     */
    private long headCache;

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
