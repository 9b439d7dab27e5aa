package io.dominoes.core.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Copies of a few dozen bytes (a reply, a file name) without {@code Unsafe.copyMemory}, whose argument checks
 * (pointer, offset, array component type) cost more than the copy itself at these sizes: they were ~9% of a
 * file-system replica's mutation time in a profile. Longer copies go to the buffer's own bulk copy.
 */
public final class SmallCopy
{
    /** Up to this many bytes are copied by word loads and stores. */
    public static final int MAX_SMALL = 64;

    private SmallCopy()
    {
    }

    /**
     * {@code dst[dstIndex .. +length) = src[srcIndex .. +length)}; the ranges must not overlap.
     */
    public static void copy(
        final MutableDirectBuffer dst, final int dstIndex, final DirectBuffer src, final int srcIndex, final int length)
    {
        if (length > MAX_SMALL)
        {
            dst.putBytes(dstIndex, src, srcIndex, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            dst.putLong(dstIndex + i, src.getLong(srcIndex + i));
        }
        for (; i < length; i++)
        {
            dst.putByte(dstIndex + i, src.getByte(srcIndex + i));
        }
    }
}
