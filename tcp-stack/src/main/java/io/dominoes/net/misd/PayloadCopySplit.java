package io.dominoes.net.misd;

import org.agrona.DirectBuffer;

/**
 * How the copy of one accepted payload range into the {@link SharedReceiveBuffer} is divided among the replicas.
 * <p>
 * A range shorter than the threshold is copied whole by the segment's owner, as before (the owner verified it,
 * so it is warm in that core's cache, and owners in blocks of 64 segments keep each core's work contiguous:
 * {@link MisdTcpReceiver#SEGMENT_OWNER}). A range of at least the threshold (only TSO/GRO-sized segments, such
 * as the up to 64 KiB frames a virtio-net header TAP hands over; 1460-byte and 9000-byte segments never reach
 * it) is cut at stream positions that are multiples of the chunk size, and chunk {@code c} (the stream position
 * divided by the chunk size) is copied by replica {@code (key + c) mod N}, {@code key} being the segment event's
 * key. Every replica computes the same owners from the same replicated range and key, without communicating, so
 * every byte of the range is copied by exactly one replica.
 * <p>
 * <b>Why split a large segment:</b> with 64 KiB segments a block of 64 segments is 4 MiB, more than a live
 * connection's whole receive window (1 MiB by default), so under per-segment ownership one replica would do
 * every copy of a window while the others only run the TCB. <b>Why these defaults:</b> the threshold, 16 KiB,
 * leaves every MTU-sized segment (jumbo frames included) on the measured per-segment path; chunks of 8 KiB are
 * two pages of contiguous writes for one core, a 64 KiB segment has 8 or 9 of them, so 2 to 4 replicas get
 * nearly equal shares of each segment, and chunk boundaries fall on cache-line (indeed page-offset) multiples of
 * the stream position, so two replicas never write the same cache line of the ring (its base is 64-byte
 * aligned).
 * <p>
 * <b>Checksums stay with one owner.</b> The TCP checksum of a segment is the look-ahead verdict of its owner
 * ({@link SegmentVerdict}); frames from the local kernel over a virtio-net header TAP carry a partial checksum
 * (NEEDS_CSUM, nothing to verify over the payload), so there the copy is the only per-byte work. Where a full
 * checksum must be verified over a large segment, splitting it would need each chunk owner's partial
 * one's-complement sum to be combined before the verdict (a cross-replica step in the look-ahead), which is left
 * for later.
 * <p>
 * Immutable; one instance serves every replica.
 */
public final class PayloadCopySplit
{
    /**
     * Ranges of at least this many bytes are split (16 KiB).
     */
    public static final int DEFAULT_THRESHOLD = 16 * 1024;

    /**
     * Chunk size and alignment in the stream (8 KiB).
     */
    public static final int DEFAULT_CHUNK = 8 * 1024;

    /**
     * Smallest chunk: one cache line, so replicas never write the same line.
     */
    public static final int MIN_CHUNK = 64;

    /**
     * Largest chunk (1 MiB).
     */
    public static final int MAX_CHUNK = 1 << 20;

    /**
     * The defaults.
     */
    public static final PayloadCopySplit DEFAULT = new PayloadCopySplit(DEFAULT_THRESHOLD, DEFAULT_CHUNK);

    /**
     * Never split: every range copied whole by its segment's owner.
     */
    public static final PayloadCopySplit NEVER = new PayloadCopySplit(Integer.MAX_VALUE, DEFAULT_CHUNK);

    private final int threshold;
    private final int chunkShift;

    /**
     * @param threshold  ranges of at least this many bytes are split, {@code >= 1} ({@link Integer#MAX_VALUE}:
     *                   never).
     * @param chunkBytes power of two in [{@link #MIN_CHUNK}, {@link #MAX_CHUNK}].
     * @throws IllegalArgumentException naming the bad value.
     */
    public PayloadCopySplit(final int threshold, final int chunkBytes)
    {
        if (threshold < 1)
        {
            throw new IllegalArgumentException("threshold=" + threshold + " must be >= 1");
        }
        if (chunkBytes < MIN_CHUNK || chunkBytes > MAX_CHUNK || Integer.bitCount(chunkBytes) != 1)
        {
            throw new IllegalArgumentException("chunkBytes=" + chunkBytes + " must be a power of two in [" + MIN_CHUNK +
                ", " + MAX_CHUNK + "]");
        }
        this.threshold = threshold;
        this.chunkShift = Integer.numberOfTrailingZeros(chunkBytes);
    }

    /**
     * @param threshold ranges of at least this many bytes are split; 0 for never.
     * @return a split with the default chunk size.
     */
    public static PayloadCopySplit ofThreshold(final int threshold)
    {
        if (threshold < 0)
        {
            throw new IllegalArgumentException("threshold=" + threshold + " must be >= 0 (0: never split)");
        }
        return 0 == threshold ? NEVER : new PayloadCopySplit(threshold, DEFAULT_CHUNK);
    }

    public int threshold()
    {
        return threshold;
    }

    public int chunkBytes()
    {
        return 1 << chunkShift;
    }

    /**
     * @param length   of the accepted range.
     * @param replicas in the group.
     * @return true if the range's copy is split (more than one replica and at least the threshold).
     */
    public boolean splits(final int length, final int replicas)
    {
        return replicas > 1 && length >= threshold;
    }

    /**
     * @param key      of the segment event.
     * @param position a stream position.
     * @param replicas in the group.
     * @return the replica that copies the chunk holding {@code position}: {@code (key + position / chunk) mod N}.
     */
    public int chunkOwner(final long key, final long position, final int replicas)
    {
        return Math.floorMod(key + (position >>> chunkShift), replicas);
    }

    /**
     * Copy the chunks of a range that {@code replica} owns into the shared buffer (the others copy the rest).
     *
     * @param shared   destination, indexed by stream position.
     * @param replica  this replica's index.
     * @param key      of the segment event.
     * @param position stream position of the range's first byte ({@code >= 0}).
     * @param src      holding the range.
     * @param offset   of the range in {@code src}.
     * @param length   of the range.
     * @return bytes this replica copied.
     */
    public int copyOwnedChunks(
        final SharedReceiveBuffer shared,
        final int replica,
        final long key,
        final long position,
        final DirectBuffer src,
        final int offset,
        final int length)
    {
        final int replicas = shared.replicas();
        final long end = position + length;
        final long first = position >>> chunkShift;
        final long last = (end - 1) >>> chunkShift;
        int copied = 0;
        // the first chunk c >= first with (key + c) mod N == replica, then every N-th
        for (long c = first + Math.floorMod(replica - key - first, replicas); c <= last; c += replicas)
        {
            final long from = Math.max(position, c << chunkShift);
            final long to = Math.min(end, (c + 1) << chunkShift);
            final int n = (int)(to - from);
            shared.write(from, src, offset + (int)(from - position), n);
            copied += n;
        }
        return copied;
    }

    public String toString()
    {
        return threshold == Integer.MAX_VALUE ? "never" : "threshold=" + threshold + " chunk=" + chunkBytes();
    }
}
