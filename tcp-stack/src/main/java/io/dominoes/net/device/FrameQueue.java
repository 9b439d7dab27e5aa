package io.dominoes.net.device;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bounded set of frames, each with the time it becomes deliverable, preallocated: slots of
 * {@code maxFrameLength} bytes. {@link #poll} hands out the frame with the earliest due time that
 * has arrived, ties broken by insertion order, so delivery is deterministic. Single threaded.
 */
final class FrameQueue
{
    private final UnsafeBuffer storage;
    private final int slotLength;
    private final int[] lengths;
    private final long[] dueNs;
    private final long[] order;
    private long nextOrder;
    private int size;

    FrameQueue(final int slots, final int maxFrameLength)
    {
        if (slots <= 0 || maxFrameLength <= 0)
        {
            throw new IllegalArgumentException("slots=" + slots + " maxFrameLength=" + maxFrameLength + " must be > 0");
        }
        this.storage = new UnsafeBuffer(new byte[slots * maxFrameLength]);
        this.slotLength = maxFrameLength;
        this.lengths = new int[slots];
        this.dueNs = new long[slots];
        this.order = new long[slots];
        java.util.Arrays.fill(lengths, -1);
    }

    int size()
    {
        return size;
    }

    boolean isFull()
    {
        return size == lengths.length;
    }

    /**
     * @return false if full or the frame is longer than a slot.
     */
    boolean offer(final long due, final DirectBuffer buffer, final int offset, final int length)
    {
        if (size == lengths.length || length > slotLength)
        {
            return false;
        }
        for (int i = 0; i < lengths.length; i++)
        {
            if (lengths[i] < 0)
            {
                storage.putBytes(i * slotLength, buffer, offset, length);
                lengths[i] = length;
                dueNs[i] = due;
                order[i] = nextOrder++;
                size++;
                return true;
            }
        }
        return false;
    }

    /**
     * @return earliest due time among queued frames, or Long.MAX_VALUE if empty.
     */
    long earliestDueNs()
    {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < lengths.length; i++)
        {
            if (lengths[i] >= 0 && dueNs[i] < earliest)
            {
                earliest = dueNs[i];
            }
        }
        return earliest;
    }

    /**
     * Copy out and remove the due frame that is first by (due time, insertion order).
     *
     * @return its length; 0 if none is due; -1 if the first due frame does not fit capacity (it is
     * removed).
     */
    int poll(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        final int slot = firstDue(nowNs);
        if (slot < 0)
        {
            return 0;
        }
        final int length = lengths[slot];
        lengths[slot] = -1;
        size--;
        if (length > capacity)
        {
            return -1;
        }
        buffer.putBytes(offset, storage, slot * slotLength, length);
        return length;
    }

    /**
     * Slot of the first due frame, or -1.
     */
    int firstDue(final long nowNs)
    {
        int best = -1;
        for (int i = 0; i < lengths.length; i++)
        {
            if (lengths[i] >= 0 && dueNs[i] <= nowNs &&
                (best < 0 || dueNs[i] < dueNs[best] || (dueNs[i] == dueNs[best] && order[i] < order[best])))
            {
                best = i;
            }
        }
        return best;
    }

    int lengthAt(final int slot)
    {
        return lengths[slot];
    }

    int offsetOf(final int slot)
    {
        return slot * slotLength;
    }

    UnsafeBuffer storage()
    {
        return storage;
    }

    void remove(final int slot)
    {
        lengths[slot] = -1;
        size--;
    }
}
