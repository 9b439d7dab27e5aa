package io.dominoes.net.misd;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PayloadCopySplitTest
{
    private static final int CAPACITY = 1 << 18;

    /**
     * Each replica copies its chunks into its own buffer (zeroed; the source bytes are never 0): at every position
     * of the range exactly one replica's buffer holds the source byte, that replica is the chunk's owner, and the
     * shares add up to the range, for ranges that start and end anywhere and wrap the ring.
     */
    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = { 1, 2, 3, 4 })
    void everyByteOfARangeIsCopiedByExactlyOneReplicaTheChunksOwner(final int replicas)
    {
        final PayloadCopySplit split = new PayloadCopySplit(1024, 256);
        final SplittableRandom random = new SplittableRandom(7 + replicas);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[70_000]);
        for (int i = 0; i < src.capacity(); i++)
        {
            src.putByte(i, (byte)(1 + i % 251));
        }
        final SharedReceiveBuffer[] copies = new SharedReceiveBuffer[replicas];
        for (int r = 0; r < replicas; r++)
        {
            copies[r] = new SharedReceiveBuffer(CAPACITY, replicas, split);
        }
        final UnsafeBuffer zeros = new UnsafeBuffer(new byte[CAPACITY]);
        for (int trial = 0; trial < 200; trial++)
        {
            final long key = random.nextLong(1L << 40);
            final long position = random.nextLong(1L << 32);
            final int length = 1 + random.nextInt(65_536);
            final int offset = random.nextInt(src.capacity() - length + 1);
            long total = 0;
            for (int r = 0; r < replicas; r++)
            {
                copies[r].write(0, zeros, 0, CAPACITY);
                total += split.copyOwnedChunks(copies[r], r, key, position, src, offset, length);
            }
            final String context = "key=" + key + " position=" + position + " length=" + length;
            assertEquals(length, total, "shares add up to the range: " + context);
            final UnsafeBuffer out = new UnsafeBuffer(new byte[length]);
            final int[] writers = new int[length];
            final int[] writer = new int[length];
            for (int r = 0; r < replicas; r++)
            {
                copies[r].read(position, out, 0, length);
                for (int i = 0; i < length; i++)
                {
                    final byte b = out.getByte(i);
                    if (0 != b)
                    {
                        assertEquals(src.getByte(offset + i), b, "replica " + r + " byte " + i + ": " + context);
                        writers[i]++;
                        writer[i] = r;
                    }
                }
            }
            for (int i = 0; i < length; i++)
            {
                assertEquals(1, writers[i], "byte " + i + " copied once: " + context);
                assertEquals(split.chunkOwner(key, position + i, replicas), writer[i], "byte " + i + " by its owner: " + context);
                if (i > 0 && writer[i] != writer[i - 1])
                {
                    assertEquals(0, (position + i) % 256, "owners change only at chunk boundaries: " + context);
                }
            }
        }
    }

    @Test
    void consecutiveChunksOfARangeGoToConsecutiveReplicasStartingFromTheKey()
    {
        final PayloadCopySplit split = new PayloadCopySplit(16 * 1024, 8 * 1024);
        assertEquals(1, split.chunkOwner(5, 0, 4));
        assertEquals(2, split.chunkOwner(5, 8 * 1024, 4));
        assertEquals(2, split.chunkOwner(5, 16 * 1024 - 1, 4));
        assertEquals(0, split.chunkOwner(6, 8 * 1024 * 3 + 5, 3));
    }

    @Test
    void splitsOnlyRangesOfAtLeastTheThresholdAndOnlyWithMoreThanOneReplica()
    {
        final PayloadCopySplit split = PayloadCopySplit.DEFAULT;
        assertFalse(split.splits(9000, 2), "a jumbo frame keeps per-segment ownership");
        assertFalse(split.splits(16 * 1024 - 1, 4));
        assertTrue(split.splits(16 * 1024, 2));
        assertTrue(split.splits(65_000, 4));
        assertFalse(split.splits(65_000, 1), "one replica owns everything anyway");
        assertFalse(PayloadCopySplit.NEVER.splits(65_000, 4));
        assertFalse(PayloadCopySplit.ofThreshold(0).splits(65_000, 4));
        assertTrue(PayloadCopySplit.ofThreshold(4096).splits(4096, 2));
    }

    @Test
    void rejectsAChunkThatIsNotAPowerOfTwoInRangeAndANonPositiveThreshold()
    {
        assertThrows(IllegalArgumentException.class, () -> new PayloadCopySplit(16_384, 32));
        assertThrows(IllegalArgumentException.class, () -> new PayloadCopySplit(16_384, 3000));
        assertThrows(IllegalArgumentException.class, () -> new PayloadCopySplit(16_384, 2 << 20));
        assertThrows(IllegalArgumentException.class, () -> new PayloadCopySplit(0, 4096));
        assertThrows(IllegalArgumentException.class, () -> PayloadCopySplit.ofThreshold(-1));
    }
}
