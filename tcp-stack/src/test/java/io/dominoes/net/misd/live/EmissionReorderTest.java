package io.dominoes.net.misd.live;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmissionReorderTest
{
    private final List<Long> sent = new ArrayList<>();
    private final EmissionReorder.FrameSink sink = (buffer, offset, length) -> sent.add(buffer.getLong(offset));

    private void offer(final EmissionReorder reorder, final long key, final int length)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        frame.putLong(0, key);
        reorder.onFrame(key, frame, 0, length, sink);
    }

    @Test
    void framesOfDifferentOwnersLeaveInEmissionOrder()
    {
        final EmissionReorder reorder = new EmissionReorder(8, 64);
        for (final long key : new long[] { 1, 3, 0, 2, 5, 4, 6 })
        {
            offer(reorder, key, 16);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), sent);
        assertEquals(0, reorder.held());
        assertEquals(0, reorder.unordered());
        assertEquals(7, reorder.next());
    }

    @Test
    void aFrameBeyondTheSlotsReleasesWhatWaitsAndTheSkippedKeysGoOutLate()
    {
        final EmissionReorder reorder = new EmissionReorder(4, 64);
        offer(reorder, 2, 16);
        offer(reorder, 1, 16);
        offer(reorder, 9, 16); // more than 3 ahead of next=0: no slot for it
        assertEquals(List.of(1L, 2L, 9L), sent);
        assertEquals(10, reorder.next());
        offer(reorder, 0, 16); // skipped: sent late, not held for ever
        offer(reorder, 10, 16);
        assertEquals(List.of(1L, 2L, 9L, 0L, 10L), sent);
        assertEquals(2, reorder.unordered());
        assertEquals(0, reorder.held());
    }

    @Test
    void aFrameTooLongForASlotIsSentAfterTheOnesBelowIt()
    {
        final EmissionReorder reorder = new EmissionReorder(8, 32);
        offer(reorder, 1, 16);
        offer(reorder, 3, 16);
        offer(reorder, 2, 48); // no slot holds it: 1 below it goes first, then 2, then the waiting 3
        assertEquals(List.of(1L, 2L, 3L), sent);
        assertEquals(4, reorder.next());
        assertEquals(0, reorder.held());
        offer(reorder, 0, 16); // skipped: sent late
        offer(reorder, 4, 16);
        assertEquals(List.of(1L, 2L, 3L, 0L, 4L), sent);
    }
}
