package io.dominoes.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Claim slots for dynamically owned ("first replica to claim") events. Slot {@code seq & mask} holds
 * {@code (seq << 16) | replica} of the latest claim installed there, or -1.
 *
 * <p><b>Exactly one claimer, no gate needed.</b> A slot's tag only grows: a CAS installs {@code s} over
 * a value with tag {@code < s}. Every replica visits every event in order and, for a claimed type,
 * either installs the event's tag or finds a tag {@code >= s}. Take the first tag {@code t > s} ever
 * installed in the slot; its installer visited {@code s} earlier, when no tag {@code > s} existed, so it
 * found or installed {@code s}. So a tag {@code > s} proves {@code s} was claimed, and a replica seeing it
 * must not run the handler. Two CASes from the same old value cannot both succeed, and an older value
 * never comes back, so only one replica ever installs {@code s}. Capacity only affects how often a
 * lagging replica finds a newer tag (cheap) instead of the exact one.
 */
final class ClaimTable
{
    private static final int REPLICA_BITS = 16;
    private final AtomicLongArray slots;
    private final int mask;

    ClaimTable(final int capacity)
    {
        slots = new AtomicLongArray(capacity);
        mask = capacity - 1;
        for (int i = 0; i < capacity; i++)
        {
            slots.set(i, -1);
        }
    }

    /**
     * @param sequence of the event.
     * @param replica  trying to claim it, {@code < 65536}.
     * @return true if this replica now owns the event (and must run its handler).
     */
    boolean tryClaim(final long sequence, final int replica)
    {
        final int i = (int)sequence & mask;
        final long mine = (sequence << REPLICA_BITS) | replica;
        while (true)
        {
            // CAS is a full fence in both directions; the load only needs to be fresh enough to try.
            final long current = slots.get(i);
            final long tag = current >> REPLICA_BITS; // -1 >> 16 == -1: an empty slot has the oldest tag
            if (tag >= sequence)
            {
                return false;
            }
            if (slots.compareAndSet(i, current, mine))
            {
                return true;
            }
        }
    }
}
