package io.dominoes.channels.ring;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.Publisher;
import org.agrona.concurrent.AtomicBuffer;

import static io.dominoes.channels.ring.RecordDescriptor.HEADER_LENGTH;
import static io.dominoes.channels.ring.RecordDescriptor.TYPE_OFFSET;
import static io.dominoes.channels.ring.RecordDescriptor.lengthOffset;

/**
 * What both publisher variants of a {@link BroadcastRing} share: the layout offsets, the length
 * check, the scan for the slowest cursor and the writing of padding records.
 */
abstract class RingPublisher implements Publisher, BufferClaim.ClaimCommitter
{
    final BroadcastRing ring;
    final AtomicBuffer buffer;
    final int capacity;
    final int mask;
    final int maxMessageLength;
    final int tailOffset;
    final int[] cursorOffsets;

    RingPublisher(final BroadcastRing ring)
    {
        this.ring = ring;
        this.buffer = ring.buffer();
        this.capacity = ring.capacity();
        this.mask = capacity - 1;
        this.maxMessageLength = ring.maxMessageLength();
        this.tailOffset = capacity + RingDescriptor.TAIL_OFFSET;
        this.cursorOffsets = new int[ring.subscriberCount()];
        for (int i = 0; i < cursorOffsets.length; i++)
        {
            cursorOffsets[i] = RingDescriptor.cursorOffset(capacity, i);
        }
    }

    /**
     * The position of the slowest subscriber. Each cursor is read with acquire: it pairs with the
     * subscriber's release of that cursor (in {@link RingSubscriber#poll}), so every read the
     * subscriber made of records below its cursor happens-before any store this publisher makes
     * into that space after this scan. That is what lets the publisher reuse the space.
     *
     * @return the minimum of all subscriber cursors.
     */
    final long scanMinCursor()
    {
        final AtomicBuffer buffer = this.buffer;
        final int[] cursorOffsets = this.cursorOffsets;
        long min = Long.MAX_VALUE;
        for (final int cursorOffset : cursorOffsets)
        {
            min = Math.min(min, buffer.getLongAcquire(cursorOffset));
        }
        return min;
    }

    /**
     * Fill the space from {@code index} to the end of the ring with one padding record. Plain stores:
     * the record becomes visible with the release of the tail that covers it.
     *
     * @param index  where the padding starts.
     * @param length bytes to the end of the ring, a positive multiple of the alignment.
     */
    final void writePadding(final int index, final int length)
    {
        buffer.putInt(index + TYPE_OFFSET, 0);
        buffer.putInt(lengthOffset(index), -length);
    }

    /**
     * Turn a message record into padding that subscribers skip (an aborted claim).
     *
     * @param recordIndex of the message record.
     */
    final void convertToPadding(final int recordIndex)
    {
        final int recordLength = buffer.getInt(lengthOffset(recordIndex));
        buffer.putInt(lengthOffset(recordIndex), -RecordDescriptor.align(recordLength));
    }

    /**
     * Fail fast on a payload length the ring cannot take, before anything is written.
     *
     * @param length of the payload.
     */
    final void checkLength(final int length)
    {
        if (length < 0 || length > maxMessageLength)
        {
            throw lengthException(length);
        }
    }

    private IllegalArgumentException lengthException(final int length)
    {
        return new IllegalArgumentException(
            "message length " + length + " is outside 0.." + maxMessageLength +
            " (the maximum for ring capacity " + capacity + ")");
    }

    /**
     * @param length of the payload.
     * @return length of the record holding it, header included, not aligned.
     */
    static int recordLength(final int length)
    {
        return length + HEADER_LENGTH;
    }

    /**
     * Where the claim starting at {@code claimStart} ends, padding to the end of the ring included.
     *
     * @param claimStart    position at which the claim starts.
     * @param alignedLength of the record.
     * @return position after the record.
     */
    final long claimEnd(final long claimStart, final int alignedLength)
    {
        final int toEnd = capacity - ((int)claimStart & mask);
        return alignedLength <= toEnd ? claimStart + alignedLength : claimStart + toEnd + alignedLength;
    }
}
