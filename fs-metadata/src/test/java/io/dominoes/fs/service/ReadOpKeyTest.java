package io.dominoes.fs.service;

import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.FsOpEncoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ReadOpKeyTest
{
    @Test
    void lookupsInOneDirectorySpreadOverReplicasWhileGetattrStaysWithTheInodeOwner()
    {
        final FsOpEncoder encoder = new FsOpEncoder();
        for (final int replicas : new int[] {2, 3, 4})
        {
            final int[] owners = new int[replicas];
            for (int i = 0; i < 1200; i++)
            {
                encoder.lookup(0, 0, FsLimits.ROOT_INO, "p" + i);
                owners[FsEvents.OWNER.owner(FsEvents.readOpKey(encoder.flyweight()), replicas)]++;
            }
            for (int r = 0; r < replicas; r++)
            {
                final int expected = 1200 / replicas;
                assertTrue(Math.abs(owners[r] - expected) < expected / 4,
                    "replica " + r + " of " + replicas + " owns " + owners[r] + " of 1200 root lookups");
            }
        }
        encoder.getattr(0, 0, 42);
        assertEquals(FsEvents.metadataKey(42), FsEvents.readOpKey(encoder.flyweight()));
    }
}
