package io.dominoes.net.misd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentOwnershipTest
{
    @Test
    void shouldOwnSegmentsInBlocksOf64ConsecutiveKeys()
    {
        for (int n = 1; n <= 5; n++)
        {
            for (long key = 0; key < 64L * n * 3; key++)
            {
                assertEquals((int)((key / 64) % n), MisdTcpReceiver.SEGMENT_OWNER.owner(key, n), "key=" + key + " n=" + n);
            }
        }
    }

    @Test
    void shouldGiveEveryReplicaAnOwnerInRangeForAnyKey()
    {
        final long[] keys = { Long.MIN_VALUE, -65, -64, -1, 0, 63, 64, Long.MAX_VALUE };
        for (int n = 1; n <= 7; n++)
        {
            for (final long key : keys)
            {
                final int owner = MisdTcpReceiver.SEGMENT_OWNER.owner(key, n);
                assertTrue(owner >= 0 && owner < n, "key=" + key + " n=" + n + " owner=" + owner);
            }
        }
    }
}
