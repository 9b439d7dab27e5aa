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
        return owner(key(ino, blockIndex), replicaCount);
    }

    /**
     * The partition key of a block (or, with block index -1, of an inode's metadata): the event key the
     * service publishes, so the runtime's partitioner ({@link #owner(long, int)}) names the same owner.
     *
     * @param ino        inode number.
     * @param blockIndex offset / BLOCK_SIZE, or -1 for the inode's metadata.
     * @return a well-mixed 64-bit key.
     */
    public static long key(final long ino, final long blockIndex)
    {
        long h = ino * 0x9E3779B97F4A7C15L + blockIndex;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /**
     * @param key          from {@link #key(long, long)} (or any key: a sequence number).
     * @param replicaCount number of replicas, {@code > 0}.
     * @return {@code key mod replicaCount}, the key taken as unsigned.
     */
    public static int owner(final long key, final int replicaCount)
    {
        // Every replica computes this for every partitioned event it reads (the runtime's partitioner), so the
        // common power-of-two counts take the mask, which is the same unsigned remainder without a division.
        if ((replicaCount & (replicaCount - 1)) == 0)
        {
            return (int)(key & (replicaCount - 1));
        }
        return (int)Long.remainderUnsigned(key, replicaCount);
    }
}
