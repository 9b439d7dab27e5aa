package io.dominoes.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Each replica's recent state digests, one ring of {@code history} checkpoints per replica. A replica
 * that reaches checkpoint {@code c} stores its digest, then compares it with every other replica that
 * already stored {@code c}; whichever of two replicas arrives second does the comparison.
 *
 * <p><b>Ordering.</b> Store: tag := -1, digest, tag := c, all volatile; load: tag, digest, tag, all
 * volatile (a seqlock: an entry is used only if both tag loads read {@code c}). The volatile (sequentially
 * consistent) store of one's own tag before loading the other's means two replicas arriving together
 * cannot both miss each other (the store-load pattern of Dekker's algorithm needs more than
 * release/acquire). A comparison is skipped, and counted, only if the other replica has already
 * overwritten {@code c}, i.e. replicas are more than {@code history} checkpoints apart.
 */
final class DigestTable
{
    static final long ABSENT = Long.MIN_VALUE;
    private static final int STRIDE = 2;
    private final AtomicLongArray entries;
    private final int history;
    private final int mask;

    DigestTable(final int replicas, final int history)
    {
        this.history = history;
        this.mask = history - 1;
        entries = new AtomicLongArray(replicas * history * STRIDE);
        for (int i = 0; i < entries.length(); i += STRIDE)
        {
            entries.set(i, -1);
        }
    }

    void store(final int replica, final long checkpoint, final long digest)
    {
        final int i = index(replica, checkpoint);
        entries.set(i, -1);
        entries.set(i + 1, digest);
        entries.set(i, checkpoint);
    }

    /**
     * @return -1 if the replica has not reached the checkpoint, 1 if it has passed it and overwritten the
     * entry, 0 if {@link #load} will return its digest.
     */
    int state(final int replica, final long checkpoint)
    {
        final long tag = entries.get(index(replica, checkpoint));
        return tag == checkpoint ? 0 : (tag > checkpoint ? 1 : -1);
    }

    /**
     * @return the digest, or {@link #ABSENT} if the entry does not (or no longer) hold the checkpoint.
     */
    long load(final int replica, final long checkpoint)
    {
        final int i = index(replica, checkpoint);
        if (entries.get(i) != checkpoint)
        {
            return ABSENT;
        }
        final long digest = entries.get(i + 1);
        return entries.get(i) == checkpoint ? digest : ABSENT;
    }

    private int index(final int replica, final long checkpoint)
    {
        return (replica * history + ((int)checkpoint & mask)) * STRIDE;
    }
}
