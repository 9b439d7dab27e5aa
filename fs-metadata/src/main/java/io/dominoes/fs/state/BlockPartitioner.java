package io.dominoes.fs.state;

/**
 * Deterministic owner of a data block: every replica computes the same owner for (inode, block),
 * so exactly one replica stores, checksums and serves each block, and blocks of one file spread
 * over all replicas.
 */
public final class BlockPartitioner
{
    private BlockPartitioner()
    {
    }

    /**
     * @param ino          inode number.
     * @param blockIndex   offset / BLOCK_SIZE.
     * @param replicaCount number of replicas, {@code > 0}.
     * @return the owning replica index in {@code [0, replicaCount)}.
     */
    public static int owner(final long ino, final long blockIndex, final int replicaCount)
    {
        long h = ino * 0x9E3779B97F4A7C15L + blockIndex;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int)Long.remainderUnsigned(h, replicaCount);
    }
}
