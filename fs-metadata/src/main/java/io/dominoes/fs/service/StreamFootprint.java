package io.dominoes.fs.service;

import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;

/**
 * What a pre-filled {@link FsOpStream} needs room for before {@link FsService#runStream} publishes it: its
 * mutations in the broadcast channel, and its reads in each owner replica's direct input. Computed, and every
 * op validated, before anything is journaled, so a stream that cannot run fails with a message that says which
 * capacity to raise and leaves the file system untouched.
 *
 * @param channelBytes   the mutations' records with the channel's framing (8-byte ring header, 16-byte event
 *                       header, 8-byte alignment).
 * @param maxDirectBytes the most any one replica's direct input must hold (24-byte direct header, 8-byte ring
 *                       header, 8-byte alignment).
 * @param reads          read ops in the stream.
 * @param mutations      mutation ops in the stream.
 */
public record StreamFootprint(long channelBytes, long maxDirectBytes, int reads, int mutations)
{
    private static final int CHANNEL_FRAMING = 8 + 16;
    private static final int DIRECT_FRAMING = 8 + 24;

    /**
     * @param stream   the ops.
     * @param replicas the replica count the reads are spread over.
     * @return the footprint.
     * @throws IllegalArgumentException naming the first op that is not a valid read or metadata mutation.
     */
    public static StreamFootprint of(final FsOpStream stream, final int replicas)
    {
        final FsOpFlyweight op = new FsOpFlyweight();
        final long[] direct = new long[replicas];
        long channel = 0;
        int reads = 0;
        for (int i = 0, n = stream.count(); i < n; i++)
        {
            final int length = stream.length(i);
            op.wrap(stream.buffer(), stream.offset(i), length);
            if (OpCode.isRead(op.opCode()))
            {
                if (op.validateRead(length) != FsOpFlyweight.VALID)
                {
                    throw new IllegalArgumentException("stream op " + i + " is not a valid read record");
                }
                direct[FsEvents.OWNER.owner(FsEvents.readOpKey(op), replicas)] += align(DIRECT_FRAMING + length);
                reads++;
            }
            else
            {
                if (op.validate(length) != FsOpFlyweight.VALID || op.opCode() == OpCode.WRITE)
                {
                    throw new IllegalArgumentException("stream op " + i + " is not a valid metadata mutation");
                }
                channel += align(CHANNEL_FRAMING + length);
            }
        }
        long max = 0;
        for (final long bytes : direct)
        {
            max = Math.max(max, bytes);
        }
        return new StreamFootprint(channel, max, reads, stream.count() - reads);
    }

    /**
     * @param bytes a footprint.
     * @return a ring capacity (power of two) that holds it with room for a wrap's padding and twice over, at
     * least {@code floor}.
     */
    public static int capacityFor(final long bytes, final int floor)
    {
        final long need = 2 * (bytes + 2L * FsOpFlyweight.MAX_RECORD_LENGTH);
        if (need > 1L << 30)
        {
            throw new IllegalArgumentException("a ring of " + need + " bytes is over the 1 GiB limit: use a shorter stream");
        }
        return (int)Math.max(floor, Long.highestOneBit(need - 1) << 1);
    }

    private static long align(final int length)
    {
        return (length + 7) & ~7L;
    }
}
