package io.dominoes.fs.state;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BlockPartitionerTest
{
    @Test
    void ownerIsTheUnsignedRemainderForEveryReplicaCount()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 7, -8};
        for (int n = 1; n <= 9; n++)
        {
            for (final long key : edges)
            {
                assertEquals((int)Long.remainderUnsigned(key, n), BlockPartitioner.owner(key, n), "key " + key + " n " + n);
            }
            for (int i = 0; i < 10_000; i++)
            {
                final long key = random.nextLong();
                assertEquals((int)Long.remainderUnsigned(key, n), BlockPartitioner.owner(key, n), "key " + key + " n " + n);
            }
        }
    }
}
