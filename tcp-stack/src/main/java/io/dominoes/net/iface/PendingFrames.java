package io.dominoes.net.iface;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames waiting for ARP to resolve their next hop, in preallocated slots. A slot holds a whole
 * Ethernet frame whose destination MAC is filled in when the next hop resolves. Single threaded.
 */
final class PendingFrames
{
    private final UnsafeBuffer storage;
    private final int slotLength;
    private final int[] nextHops;
    private final int[] lengths;
    private final long[] enqueuedNs;
    private int size;

    PendingFrames(final int slots, final int maxFrameLength)
    {
        storage = new UnsafeBuffer(org.agrona.BufferUtil.allocateDirectAligned(slots * maxFrameLength, 64));
        slotLength = maxFrameLength;
        nextHops = new int[slots];
        lengths = new int[slots];
        enqueuedNs = new long[slots];
        java.util.Arrays.fill(lengths, -1);
    }

    boolean offer(final int nextHop, final DirectBuffer frame, final int length, final long nowNs)
    {
        for (int i = 0; i < lengths.length; i++)
        {
            if (lengths[i] < 0)
            {
                storage.putBytes(i * slotLength, frame, 0, length);
                nextHops[i] = nextHop;
                lengths[i] = length;
                enqueuedNs[i] = nowNs;
                size++;
                return true;
            }
        }
        return false;
    }

    int size()
    {
        return size;
    }

    int capacity()
    {
        return lengths.length;
    }

    boolean isUsed(final int slot)
    {
        return lengths[slot] >= 0;
    }

    int nextHop(final int slot)
    {
        return nextHops[slot];
    }

    int length(final int slot)
    {
        return lengths[slot];
    }

    int offset(final int slot)
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
