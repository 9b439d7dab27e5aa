package io.dominoes.net.misd.live;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Restores the replicated order of a connection's emitted frames. Each frame is emitted by the owner of the
 * event that caused it, so frames of different owners reach the output channel interleaved by thread timing;
 * their keys are the replicated emission count (0, 1, 2, ...), so the frame with key {@code next} is always the
 * one a single-threaded stack would send now. Frames ahead of it wait in preallocated slots; a frame too far
 * ahead for the slots (or too long for one) is sent at once, after the waiting ones below it, and counted; keys
 * skipped that way are sent when they come (TCP tolerates a reordered ACK).
 * <p>
 * Single threaded (the event loop). Allocation free after construction.
 */
final class EmissionReorder
{
    /**
     * Where frames go, in order.
     */
    @FunctionalInterface
    interface FrameSink
    {
        void send(DirectBuffer buffer, int offset, int length);
    }

    private final int mask;
    private final int slotBytes;
    private final UnsafeBuffer slots;
    private final int[] lengths;
    private long next;
    private long held;
    private long unordered;

    /**
     * @param slots     power of two, frames that may wait.
     * @param slotBytes longest frame a slot holds.
     */
    EmissionReorder(final int slots, final int slotBytes)
    {
        if (slots < 1 || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots=" + slots + " must be a power of two");
        }
        this.mask = slots - 1;
        this.slotBytes = slotBytes;
        this.slots = new UnsafeBuffer(new byte[slots * slotBytes]);
        this.lengths = new int[slots];
    }

    /**
     * @return frames sent (this one and any waiting ones it released).
     */
    int onFrame(final long key, final DirectBuffer buffer, final int offset, final int length, final FrameSink sink)
    {
        if (key == next)
        {
            sink.send(buffer, offset, length);
            next++;
            return 1 + releaseFromNext(sink);
        }
        if (key > next && key - next <= mask && length <= slotBytes && 0 == lengths[(int)(key & mask)])
        {
            final int slot = (int)(key & mask);
            slots.putBytes(slot * slotBytes, buffer, offset, length);
            lengths[slot] = length;
            held++;
            return 0;
        }
        unordered++;
        if (key < next)
        {
            sink.send(buffer, offset, length); // one we skipped past (below): late, send now
            return 1;
        }
        // far ahead or too long for a slot: release what waits below it in key order, skip the keys still
        // missing (they are sent when they come, late) and carry on after this one
        int sent = 0;
        for (long k = next; k < key && held > 0; k++)
        {
            final int slot = (int)(k & mask);
            if (lengths[slot] > 0)
            {
                sink.send(slots, slot * slotBytes, lengths[slot]);
                lengths[slot] = 0;
                held--;
                sent++;
            }
        }
        sink.send(buffer, offset, length);
        next = key + 1;
        return sent + 1 + releaseFromNext(sink);
    }

    private int releaseFromNext(final FrameSink sink)
    {
        int sent = 0;
        int slot;
        while (held > 0 && lengths[slot = (int)(next & mask)] > 0)
        {
            sink.send(slots, slot * slotBytes, lengths[slot]);
            lengths[slot] = 0;
            held--;
            next++;
            sent++;
        }
        return sent;
    }

    /**
     * @return frames waiting for an earlier one.
     */
    long held()
    {
        return held;
    }

    /**
     * @return frames sent out of order because they did not fit a slot.
     */
    long unordered()
    {
        return unordered;
    }

    /**
     * @return the key of the next frame in order.
     */
    long next()
    {
        return next;
    }
}
