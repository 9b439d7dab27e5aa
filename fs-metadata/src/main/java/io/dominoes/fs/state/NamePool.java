package io.dominoes.fs.state;

import io.dominoes.core.codec.SmallCopy;
import io.dominoes.fs.FsLimits;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Recycles directory-entry name arrays by length, so a create/rename/unlink cycle in steady state allocates no
 * name: a removed entry's array goes back here and the next insert of a name of that length takes it. One per
 * {@link FsState} (a replica's private copy), touched only under that copy's exclusive access. Bounded per
 * length, so a mass delete does not keep its names alive for good.
 */
final class NamePool
{
    /** Arrays kept per name length. */
    static final int PER_LENGTH = 64;

    private final byte[][][] free = new byte[FsLimits.NAME_MAX + 1][][];
    private final int[] count = new int[FsLimits.NAME_MAX + 1];
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);

    /**
     * @return an array holding {@code buffer[offset .. +length)}: a recycled one if any, else a new one.
     */
    byte[] copyOf(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] name;
        if (length < count.length && count[length] > 0)
        {
            final int n = --count[length];
            name = free[length][n];
            free[length][n] = null;
        }
        else
        {
            name = new byte[length];
        }
        scratch.wrap(name);
        SmallCopy.copy(scratch, 0, buffer, offset, length); // word copies, not copyMemory's checks
        return name;
    }

    /** Take back the array of an entry that was removed (the table no longer refers to it). */
    void recycle(final byte[] name)
    {
        final int length = name.length;
        if (length >= count.length || count[length] == PER_LENGTH)
        {
            return;
        }
        byte[][] stack = free[length];
        if (null == stack)
        {
            stack = new byte[PER_LENGTH][];
            free[length] = stack;
        }
        stack[count[length]++] = name;
    }

    /** @return arrays held for reuse (tests). */
    int held()
    {
        int sum = 0;
        for (final int c : count)
        {
            sum += c;
        }
        return sum;
    }
}
