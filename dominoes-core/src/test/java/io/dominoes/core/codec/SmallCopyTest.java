package io.dominoes.core.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SmallCopyTest
{
    @Test
    void copiesExactlyTheRangeAtEveryLengthAndAlignment()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] source = new byte[256];
        for (int i = 0; i < source.length; i++)
        {
            source[i] = (byte)random.nextInt(256);
        }
        final UnsafeBuffer heapSrc = new UnsafeBuffer(source);
        final UnsafeBuffer directSrc = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        directSrc.putBytes(0, source);
        for (final UnsafeBuffer src : new UnsafeBuffer[] { heapSrc, directSrc })
        {
            for (int length = 0; length <= SmallCopy.MAX_SMALL + 9; length++)
            {
                for (int at = 0; at < 9; at++)
                {
                    final UnsafeBuffer dst = new UnsafeBuffer(new byte[256]);
                    dst.setMemory(0, 256, (byte)0x5A);
                    SmallCopy.copy(dst, 3 + at, src, at + 1, length);
                    final byte[] expected = new byte[256];
                    Arrays.fill(expected, (byte)0x5A);
                    System.arraycopy(source, at + 1, expected, 3 + at, length);
                    assertArrayEquals(expected, dst.byteArray(), "length " + length + " at " + at);
                }
            }
        }
    }
}
