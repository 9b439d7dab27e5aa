package io.dominoes.net.wire;

import io.dominoes.net.TestSeeds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChecksumsTest
{
    /**
     * The plain RFC 1071 definition, one 16-bit word at a time, for comparison.
     */
    static int referenceSum(final byte[] data, final int offset, final int length, final int initial)
    {
        long sum = initial;
        for (int i = 0; i < length; i += 2)
        {
            final int hi = data[offset + i] & 0xFF;
            final int lo = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }

    @Test
    void shouldMatchRfc1071Example()
    {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
        final byte[] bytes = { 0x00, 0x01, (byte)0xf2, 0x03, (byte)0xf4, (byte)0xf5, (byte)0xf6, (byte)0xf7 };
        assertEquals(0xddf2, Checksums.onesComplementSum(new UnsafeBuffer(bytes), 0, bytes.length, 0));
    }

    @Test
    void shouldComputeKnownIpv4HeaderChecksum()
    {
        // 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01 c0 a8 00 c7, checksum field zeroed.
        final byte[] header = hex("450000730000400040110000c0a80001c0a800c7");
        final UnsafeBuffer buffer = new UnsafeBuffer(header);
        assertEquals(0xb861, Checksums.finish(Checksums.onesComplementSum(buffer, 0, header.length, 0)));

        // A receiver summing the intact header, checksum included, gets 0xFFFF (finish gives 0).
        buffer.putShort(10, (short)0xb861, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(0xFFFF, Checksums.onesComplementSum(buffer, 0, header.length, 0));
        assertEquals(0, Checksums.finish(Checksums.onesComplementSum(buffer, 0, header.length, 0)));
    }

    @Test
    void shouldMatchByteByByteReferenceOnRandomDataAtEveryOffsetAndLength()
    {
        final long seed = TestSeeds.seed("ChecksumsTest.random");
        final Random random = new Random(seed);
        final byte[] data = new byte[2048];
        final UnsafeBuffer heap = new UnsafeBuffer(data);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(data.length));
        // views that start inside their memory: the sum reads from the buffer's address offset, not from 0
        final byte[] shifted = new byte[data.length + 7];
        final UnsafeBuffer heapView = new UnsafeBuffer(shifted, 7, data.length);
        final UnsafeBuffer directView = new UnsafeBuffer(ByteBuffer.allocateDirect(data.length + 5), 5, data.length);
        for (int round = 0; round < 2000; round++)
        {
            random.nextBytes(data);
            if (round % 7 == 0)
            {
                // Runs of 0xFF stress the end-around carry.
                java.util.Arrays.fill(data, 0, random.nextInt(data.length), (byte)0xFF);
            }
            direct.putBytes(0, data);
            heapView.putBytes(0, data);
            directView.putBytes(0, data);
            final int offset = random.nextInt(64);
            final int length = round < 200 ? round % 40 : random.nextInt(data.length - offset + 1);
            final int initial = random.nextInt(0x10000);
            final int expected = referenceSum(data, offset, length, initial);
            final String what = "seed=" + seed + " round=" + round + " offset=" + offset + " length=" + length;
            assertEquals(expected, Checksums.onesComplementSum(heap, offset, length, initial), what);
            assertEquals(expected, Checksums.onesComplementSum(direct, offset, length, initial), what);
            assertEquals(expected, Checksums.onesComplementSum(heapView, offset, length, initial), what);
            assertEquals(expected, Checksums.onesComplementSum(directView, offset, length, initial), what);
        }
    }

    @Test
    void shouldComposeSumsOfEvenSplits()
    {
        final long seed = TestSeeds.seed("ChecksumsTest.compose");
        final Random random = new Random(seed);
        final byte[] data = new byte[301];
        random.nextBytes(data);
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        for (int split = 0; split <= data.length; split += 2)
        {
            final int first = Checksums.onesComplementSum(buffer, 0, split, 0);
            assertEquals(
                Checksums.onesComplementSum(buffer, 0, data.length, 0),
                Checksums.onesComplementSum(buffer, split, data.length - split, first),
                "seed=" + seed + " split=" + split);
        }
    }

    @Test
    void shouldSumPseudoHeaderLikeItsBytes()
    {
        final long seed = TestSeeds.seed("ChecksumsTest.pseudoHeader");
        final Random random = new Random(seed);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[12]);
        for (int i = 0; i < 1000; i++)
        {
            final int src = random.nextInt();
            final int dst = random.nextInt();
            final int protocol = random.nextInt(256);
            final int length = random.nextInt(0x10000);
            buffer.putInt(0, src, java.nio.ByteOrder.BIG_ENDIAN);
            buffer.putInt(4, dst, java.nio.ByteOrder.BIG_ENDIAN);
            buffer.putByte(8, (byte)0);
            buffer.putByte(9, (byte)protocol);
            buffer.putShort(10, (short)length, java.nio.ByteOrder.BIG_ENDIAN);
            assertEquals(
                referenceSum(buffer.byteArray(), 0, 12, 0),
                Checksums.pseudoHeaderSumIpv4(src, dst, protocol, length),
                "seed=" + seed + " i=" + i);
        }
    }

    @Test
    void shouldFinishByInvertingSixteenBits()
    {
        assertEquals(0xFFFF, Checksums.finish(0));
        assertEquals(0, Checksums.finish(0xFFFF));
        assertEquals(0x1234, Checksums.finish(0xEDCB));
    }

    @Test
    void shouldIncrementallyUpdateLikeAFullRecompute()
    {
        final long seed = TestSeeds.seed("ChecksumsTest.rfc1624");
        final Random random = new Random(seed);
        final byte[] data = new byte[40];
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        for (int i = 0; i < 5000; i++)
        {
            random.nextBytes(data);
            data[0] = 1; // never all zero: RFC 1624 section 3 notes 0 vs 0xFFFF only for all-zero data
            final int checksum = Checksums.finish(Checksums.onesComplementSum(buffer, 0, data.length, 0));
            final int index = 2 + 2 * random.nextInt(data.length / 2 - 1);
            final int oldWord = buffer.getShort(index, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int newWord = i % 5 == 0 ? 0xFFFF - oldWord : random.nextInt(0x10000);
            buffer.putShort(index, (short)newWord, java.nio.ByteOrder.BIG_ENDIAN);
            final int recomputed = Checksums.finish(Checksums.onesComplementSum(buffer, 0, data.length, 0));
            assertEquals(recomputed, Checksums.incrementalUpdate(checksum, oldWord, newWord),
                "seed=" + seed + " i=" + i + " index=" + index);
        }
    }

    @Test
    void shouldRejectRangeOutsideBufferNamingIt()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> Checksums.onesComplementSum(buffer, 4, 7, 0));
        assertEquals("range offset=4 length=7 outside buffer capacity=10", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checksums.onesComplementSum(buffer, -1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Checksums.onesComplementSum(buffer, 0, -2, 0));
    }

    static byte[] hex(final String hex)
    {
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
