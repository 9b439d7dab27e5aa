package io.dominoes.channels.ring;

import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Subscriber;
import org.agrona.concurrent.AtomicBuffer;

import static io.dominoes.channels.ring.RecordDescriptor.HEADER_LENGTH;
import static io.dominoes.channels.ring.RecordDescriptor.align;
import static io.dominoes.channels.ring.RecordDescriptor.lengthOffset;
import static io.dominoes.channels.ring.RecordDescriptor.typeOffset;

/**
 * Left-hand padding so the subscriber's hot fields do not share a cache line with whatever object
 * the allocator put before this one (a publisher's tail, another subscriber's cursor).
 */
abstract class RingSubscriberLhsPad
{
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
}

/**
 * The hot fields, between two pads.
 */
abstract class RingSubscriberFields extends RingSubscriberLhsPad
{
    /**
     * This subscriber's position; the owning thread's copy of the shared cursor it releases.
     */
    long cursor;
}

/**
 * One subscriber of a {@link BroadcastRing}: reads in batches, publishes its cursor once per batch.
 */
final class RingSubscriber extends RingSubscriberFields implements Subscriber
{
    byte p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111, p112, p113, p114, p115;
    byte p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127, p128, p129, p130, p131;
    byte p132, p133, p134, p135, p136, p137, p138, p139, p140, p141, p142, p143, p144, p145, p146, p147;
    byte p148, p149, p150, p151, p152, p153, p154, p155, p156, p157, p158, p159, p160, p161, p162, p163;

    private final BroadcastRing ring;
    private final AtomicBuffer buffer;
    private final int index;
    private final int mask;
    private final int tailOffset;
    private final int cursorOffset;

    RingSubscriber(final BroadcastRing ring, final int index)
    {
        this.ring = ring;
        this.buffer = ring.buffer();
        this.index = index;
        this.mask = ring.capacity() - 1;
        this.tailOffset = ring.capacity() + RingDescriptor.TAIL_OFFSET;
        this.cursorOffset = RingDescriptor.cursorOffset(ring.capacity(), index);
        // A process attaching as subscriber k resumes where subscriber k's cursor stands.
        this.cursor = buffer.getLongAcquire(cursorOffset);
    }

    /**
     * {@inheritDoc}
     */
    public int index()
    {
        return index;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The committed tail is read once with acquire; it pairs with the publisher's release of the
     * tail, so every record below it (header, payload, padding: plain stores before the release) is
     * visible to the plain loads below. The cursor is released once per batch, in {@code finally}.
     */
    public int poll(final MessageHandler handler, final int limit)
    {
        if (limit <= 0 || ring.isClosed())
        {
            return pollRejected(limit);
        }
        final long tail = buffer.getLongAcquire(tailOffset);
        if (tail == cursor)
        {
            return 0;
        }
        return readBatch(handler, limit, tail);
    }

    private int readBatch(final MessageHandler handler, final int limit, final long tail)
    {
        final AtomicBuffer buffer = this.buffer;
        final int mask = this.mask;
        long position = cursor;
        int count = 0;
        try
        {
            while (position < tail && count < limit)
            {
                final int recordIndex = (int)position & mask;
                final int recordLength = buffer.getInt(lengthOffset(recordIndex));
                if (recordLength < HEADER_LENGTH)
                {
                    position += paddingLength(recordLength, position);
                    continue;
                }
                // Advance before the callback: a handler that throws has consumed its message.
                position += align(recordLength);
                count++;
                handler.onMessage(
                    buffer.getInt(typeOffset(recordIndex)), buffer, recordIndex + HEADER_LENGTH, recordLength - HEADER_LENGTH);
            }
        }
        finally
        {
            // Release: our reads of the records below position happen-before the publisher's
            // reuse of that space, because the publisher acquires this cursor before writing there.
            cursor = position;
            buffer.putLongRelease(cursorOffset, position);
        }
        return count;
    }

    /**
     * @return bytes to skip for a padding record.
     * @throws IllegalStateException if the length is not a valid padding length (a corrupt ring;
     *                               it can only come from a writer that does not follow the layout).
     */
    private long paddingLength(final int recordLength, final long position)
    {
        final int index = (int)position & mask;
        final int length = -recordLength;
        if (length < RecordDescriptor.ALIGNMENT || length > ring.capacity() - index || (length & 7) != 0)
        {
            throw new IllegalStateException(
                "corrupt record length " + recordLength + " at position " + position + " of subscriber " + this.index);
        }
        return length;
    }

    private int pollRejected(final int limit)
    {
        if (limit <= 0)
        {
            throw new IllegalArgumentException("poll limit " + limit + " must be greater than 0");
        }
        return 0;
    }
}
