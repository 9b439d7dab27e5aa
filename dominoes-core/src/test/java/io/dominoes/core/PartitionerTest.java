package io.dominoes.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PartitionerTest
{
    @Test
    void moduloIsFloorModForEveryReplicaCountAndSign()
    {
        final long[] keys = { Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_003, -65, -64, -2, -1, 0, 1, 2, 63, 64, 65,
            1_000_003, Long.MAX_VALUE - 1, Long.MAX_VALUE };
        for (int n = 1; n <= 17; n++)
        {
            for (final long key : keys)
            {
                assertEquals((int)Math.floorMod(key, (long)n), Partitioner.MODULO.owner(key, n), "key=" + key + " n=" + n);
            }
            for (long key = -300; key <= 300; key++)
            {
                assertEquals((int)Math.floorMod(key, (long)n), Partitioner.modulo(key, n), "key=" + key + " n=" + n);
            }
        }
    }
}
