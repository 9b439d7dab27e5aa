package io.dominoes.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-event verdicts, written by the owner's look-ahead cursor and read by every replica's replicated
 * cursor. Slot {@code seq & mask} holds the verdict of event {@code seq} and a tag (the sequence it
 * belongs to), so a reader can tell "my event's verdict" from "an older or newer event's".
 *
 * <p><b>Ordering.</b> {@link #write}: plain store of the verdict, then release store of the tag.
 * {@link #isReady}: acquire load of the tag; if it equals the reader's sequence, the verdict store
 * happened-before and the plain load in {@link #verdict} sees it.
 *
 * <p><b>Overwrite safety (the gate).</b> The look-ahead may write event {@code s} only when
 * {@code s < minPosition + capacity}, where {@code minPosition} is the smallest replicated-cursor position
 * over all replicas (every event below it is fully handled by every replica; each replica publishes its
 * position with a release store after it has read the verdict, the gate reads it with an acquire load).
 * The slot's previous occupant {@code s - capacity < minPosition} has therefore been read by every
 * replica, and its writer had finished (every replica waited for its tag). Hence no slot is overwritten
 * before every replica consumed it, and no two writers share a slot at once.
 *
 * <p><b>No deadlock.</b> Let {@code m} be the smallest replicated position and its replica wait for the
 * verdict of {@code m}, owned by {@code o}. If {@code o}'s look-ahead is past {@code m}, the verdict is
 * written. Otherwise it is at {@code p <= m < m + capacity}, so its gate is open and, since a waiting
 * replica keeps pumping its own look-ahead, {@code o} advances to {@code m}. Every wait is on an event
 * at or before the waiter's own position, so the minimum always progresses and no cycle forms.
 */
final class VerdictTable
{
    private final AtomicLongArray tags;
    private final int[] verdicts;
    private final int mask;

    VerdictTable(final int capacity)
    {
        tags = new AtomicLongArray(capacity);
        verdicts = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < capacity; i++)
        {
            tags.set(i, -1);
        }
    }

    int capacity()
    {
        return verdicts.length;
    }

    void write(final long sequence, final int verdict)
    {
        final int i = (int)sequence & mask;
        verdicts[i] = verdict;
        // release: the verdict store above becomes visible no later than the tag naming it.
        tags.lazySet(i, sequence);
    }

    boolean isReady(final long sequence)
    {
        // acquire: pairs with the release in write(); seeing our tag makes the verdict visible.
        return tags.getAcquire((int)sequence & mask) == sequence;
    }

    int verdict(final long sequence)
    {
        return verdicts[(int)sequence & mask];
    }
}
