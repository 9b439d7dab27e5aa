package io.dominoes.channels.ring;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.dominoes.channels.ring.RecordDescriptor.HEADER_LENGTH;
import static io.dominoes.channels.ring.RecordDescriptor.lengthOffset;
import static io.dominoes.channels.ring.RecordDescriptor.typeOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bytes the ring writes: record headers, 8-byte alignment, the padding record at the wrap,
 * the aborted claim turned into padding, and counters two cache lines apart in the trailer.
 */
class BroadcastRingLayoutTest
{
    private static final int CAPACITY = 1024;

    @Test
    void recordsAreAlignedAndTheWrapIsFilledWithOnePaddingRecord()
    {
        try (BroadcastRing ring = BroadcastRing.builder().capacity(CAPACITY).subscribers(1).build())
        {
            final AtomicBuffer buffer = ring.buffer();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[ring.maxMessageLength()]);
            // 9 records of 13 + 8 = 21 bytes, aligned to 24: the tail ends at 216, not 189.
            long position = 0;
            for (int i = 0; i < 9; i++)
            {
                position = ring.publisher().offer(100 + i, payload, 0, 13);
                assertEquals(21, buffer.getInt(lengthOffset(i * 24)));
                assertEquals(100 + i, buffer.getInt(typeOffset(i * 24)));
            }
            assertEquals(9 * 24, position);
            assertEquals(9, ring.subscriber(0).poll((t, b, o, l) -> {}, 100));

            // Fill up to 40 bytes before the end, then a 120-byte payload (128-byte record) wraps.
            while (position < CAPACITY - 40)
            {
                position = ring.publisher().offer(1, payload, 0, Math.min(100, (int)(CAPACITY - 40 - position) - HEADER_LENGTH));
            }
            assertEquals(CAPACITY - 40, position);
            ring.subscriber(0).poll((t, b, o, l) -> {}, 100);
            position = ring.publisher().offer(7, payload, 0, ring.maxMessageLength());
            assertEquals(CAPACITY + 128, position, "padding of 40 bytes, then the record at index 0");
            assertEquals(-40, buffer.getInt(lengthOffset(CAPACITY - 40)));
            assertEquals(ring.maxMessageLength() + HEADER_LENGTH, buffer.getInt(lengthOffset(0)));
            assertEquals(7, buffer.getInt(typeOffset(0)));
            assertEquals(CAPACITY + 128, buffer.getLongVolatile(CAPACITY + RingDescriptor.TAIL_OFFSET));

            final int[] types = new int[2];
            assertEquals(1, ring.subscriber(0).poll((type, b, o, length) ->
            {
                types[0] = type;
                types[1] = length;
            }, 100), "the padding is skipped, not delivered");
            assertEquals(7, types[0]);
            assertEquals(ring.maxMessageLength(), types[1]);
            assertEquals(CAPACITY + 128, buffer.getLongVolatile(RingDescriptor.cursorOffset(CAPACITY, 0)));
        }
    }

    @Test
    void abortedClaimBecomesPaddingOfItsAlignedLength()
    {
        try (BroadcastRing ring = BroadcastRing.builder().capacity(CAPACITY).subscribers(1).multiPublisher(true).build())
        {
            final io.dominoes.channels.BufferClaim claim = new io.dominoes.channels.BufferClaim();
            assertEquals(24, ring.publisher().tryClaim(5, 9, claim));
            assertEquals(17, ring.buffer().getInt(lengthOffset(0)));
            claim.abort();
            assertEquals(-24, ring.buffer().getInt(lengthOffset(0)));
            assertEquals(0, ring.subscriber(0).poll((t, b, o, l) -> {}, 10));
            assertEquals(24, ring.buffer().getLongVolatile(RingDescriptor.cursorOffset(CAPACITY, 0)));
        }
    }

    @Test
    void eachCounterHasTwoCacheLinesToItself()
    {
        final int subscribers = 3;
        try (BroadcastRing ring = BroadcastRing.builder().capacity(CAPACITY).subscribers(subscribers).direct().build())
        {
            final int[] counters = {
                CAPACITY + RingDescriptor.TAIL_OFFSET,
                CAPACITY + RingDescriptor.CLAIM_TAIL_OFFSET,
                CAPACITY + RingDescriptor.HEAD_CACHE_OFFSET,
                RingDescriptor.cursorOffset(CAPACITY, 0),
                RingDescriptor.cursorOffset(CAPACITY, 1),
                RingDescriptor.cursorOffset(CAPACITY, 2),
            };
            for (int i = 1; i < counters.length; i++)
            {
                assertEquals(128, counters[i] - counters[i - 1]);
            }
            assertEquals(0, ring.buffer().addressOffset() % 128, "direct memory starts on a cache-line pair");
            assertEquals(CAPACITY + RingDescriptor.trailerLength(subscribers), ring.buffer().capacity());
            assertEquals(RingDescriptor.cursorOffset(CAPACITY, subscribers) + RingDescriptor.METADATA_LENGTH,
                ring.buffer().capacity(), "metadata is the last block");
        }
    }
}
