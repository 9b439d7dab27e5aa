package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * smoltcp wire/tcp.rs style: one real segment as bytes, taken apart and built again.
 */
class TcpSegmentTest
{
    static final int SRC_ADDR = 0xC0A80001; // 192.168.0.1
    static final int DST_ADDR = 0xC0A80002; // 192.168.0.2

    /**
     * SYN from 49152 to 80, seq 0x01234567, window 64240, options MSS 1460, SACK-permitted, timestamps
     * (TSval 0x0A0B0C0D, TSecr 0), NOP, window scale 7; then 4 bytes of payload "ABCD"; checksum filled below.
     */
    static final byte[] SEGMENT = {
        (byte)0xC0, 0x00, 0x00, 0x50,
        0x01, 0x23, 0x45, 0x67,
        0x00, 0x00, 0x00, 0x00,
        (byte)0xA0, 0x02, (byte)0xFA, (byte)0xF0,
        0x00, 0x00, 0x00, 0x00,
        0x02, 0x04, 0x05, (byte)0xB4,
        0x04, 0x02, 0x08, 0x0A,
        0x0A, 0x0B, 0x0C, 0x0D,
        0x00, 0x00, 0x00, 0x00,
        0x01, 0x03, 0x03, 0x07,
        'A', 'B', 'C', 'D'
    };

    static byte[] withChecksum()
    {
        final byte[] bytes = SEGMENT.clone();
        final int sum = referenceChecksum(bytes, SRC_ADDR, DST_ADDR);
        bytes[16] = (byte)(sum >>> 8);
        bytes[17] = (byte)sum;
        return bytes;
    }

    /**
     * RFC 793/9293 checksum computed the slow, obvious way, independent of {@link Checksums}.
     */
    static int referenceChecksum(final byte[] segment, final int src, final int dst)
    {
        long sum = 0;
        sum += (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 6 + segment.length;
        for (int i = 0; i < segment.length; i += 2)
        {
            if (i == 16)
            {
                continue;
            }
            final int hi = segment[i] & 0xFF;
            final int lo = i + 1 < segment.length ? segment[i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    @Test
    void deconstruct()
    {
        final byte[] bytes = withChecksum();
        final TcpSegment segment = new TcpSegment().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        assertEquals(TcpSegment.OK, segment.checkLength());
        assertEquals(49152, segment.srcPort());
        assertEquals(80, segment.dstPort());
        assertEquals(0x01234567, segment.seq());
        assertEquals(0, segment.ack());
        assertEquals(40, segment.headerLength());
        assertTrue(segment.syn());
        assertFalse(segment.ackFlag() || segment.fin() || segment.rst() || segment.psh() || segment.urg() ||
            segment.ece() || segment.cwr());
        assertEquals(64240, segment.window());
        assertEquals(0, segment.urgentPointer());
        assertEquals(20, segment.optionsLength());
        assertEquals(40, segment.payloadOffset());
        assertEquals(4, segment.payloadLength());
        assertEquals(5, segment.sequenceLength(), "payload plus SYN");
        assertTrue(segment.verifyChecksum(SRC_ADDR, DST_ADDR));

        final TcpOptionValues options = new TcpOptionValues();
        assertEquals(TcpOptions.OK, segment.parseOptions(options));
        assertEquals(1460, options.mss());
        assertTrue(options.sackPermitted());
        assertTrue(options.hasTimestamps());
        assertEquals(0x0A0B0C0D, options.tsVal());
        assertEquals(0, options.tsEcr());
        assertEquals(7, options.windowScale());
        assertEquals(0, options.sackBlockCount());
    }

    @Test
    void construct()
    {
        final byte[] bytes = new byte[SEGMENT.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final TcpSegment segment = new TcpSegment().wrap(buffer, 0, bytes.length);
        final TcpOptionValues options = new TcpOptionValues().mss(1460).sackPermitted(true)
            .timestamps(0x0A0B0C0D, 0).windowScale(7);
        final int headerLength = segment.emitHeader(49152, 80, 0x01234567, 0, TcpSegment.FLAG_SYN, 64240, options);
        assertEquals(40, headerLength);
        buffer.putBytes(headerLength, new byte[]{'A', 'B', 'C', 'D'});
        segment.fillChecksum(SRC_ADDR, DST_ADDR);
        assertArrayEquals(withChecksum(), bytes);
    }

    @Test
    void constructAtAnOffsetInALargerBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        final TcpSegment segment = new TcpSegment().wrap(buffer, 14, 20);
        segment.emitHeader(1, 2, 3, 4, TcpSegment.FLAG_ACK | TcpSegment.FLAG_RST, 0, new TcpOptionValues());
        segment.fillChecksum(SRC_ADDR, DST_ADDR);
        final TcpSegment read = new TcpSegment().wrap(buffer, 14, 20);
        assertEquals(TcpSegment.OK, read.checkLength());
        assertTrue(read.rst() && read.ackFlag());
        assertTrue(read.verifyChecksum(SRC_ADDR, DST_ADDR));
        assertEquals(0, buffer.getByte(13));
        assertEquals(0, buffer.getByte(34));
    }

    @Test
    void truncated()
    {
        final byte[] bytes = withChecksum();
        for (int length = 0; length < 20; length++)
        {
            assertEquals(TcpSegment.ERR_TRUNCATED,
                new TcpSegment().wrap(new UnsafeBuffer(bytes), 0, length).checkLength(), "length " + length);
        }
        assertEquals(TcpSegment.ERR_DATA_OFFSET_BEYOND_LENGTH,
            new TcpSegment().wrap(new UnsafeBuffer(bytes), 0, 39).checkLength(), "options cut short");
    }

    @Test
    void impossibleDataOffset()
    {
        final byte[] bytes = withChecksum();
        for (int words = 0; words < 5; words++)
        {
            bytes[12] = (byte)(words << 4);
            assertEquals(TcpSegment.ERR_DATA_OFFSET_TOO_SMALL,
                new TcpSegment().wrap(new UnsafeBuffer(bytes), 0, bytes.length).checkLength(), "words " + words);
        }
        bytes[12] = (byte)0xF0;
        assertEquals(TcpSegment.ERR_DATA_OFFSET_BEYOND_LENGTH,
            new TcpSegment().wrap(new UnsafeBuffer(bytes), 0, bytes.length).checkLength());
    }

    @Test
    void zeroPortAndSynWithRstOrFinAreMalformed()
    {
        final byte[] bytes = withChecksum();
        bytes[0] = 0;
        bytes[1] = 0;
        assertEquals(TcpSegment.ERR_PORT_ZERO, new TcpSegment().wrap(new UnsafeBuffer(bytes), 0, bytes.length).checkLength());
        final byte[] synFin = withChecksum();
        synFin[13] = TcpSegment.FLAG_SYN | TcpSegment.FLAG_FIN;
        assertEquals(TcpSegment.ERR_FLAG_COMBINATION,
            new TcpSegment().wrap(new UnsafeBuffer(synFin), 0, synFin.length).checkLength());
        synFin[13] = TcpSegment.FLAG_SYN | TcpSegment.FLAG_RST;
        assertEquals(TcpSegment.ERR_FLAG_COMBINATION,
            new TcpSegment().wrap(new UnsafeBuffer(synFin), 0, synFin.length).checkLength());
    }

    @Test
    void badChecksumIsDetectedForEverySingleByteChange()
    {
        final byte[] bytes = withChecksum();
        for (int i = 0; i < bytes.length; i++)
        {
            final byte[] corrupt = bytes.clone();
            corrupt[i] ^= 0x5A;
            assertFalse(new TcpSegment().wrap(new UnsafeBuffer(corrupt), 0, corrupt.length)
                .verifyChecksum(SRC_ADDR, DST_ADDR), "byte " + i);
        }
        assertFalse(new TcpSegment().wrap(new UnsafeBuffer(bytes), 0, bytes.length)
            .verifyChecksum(SRC_ADDR, DST_ADDR + 1), "pseudo-header address");
    }

    @Test
    void oddLengthChecksum()
    {
        final byte[] bytes = new byte[23];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final TcpSegment segment = new TcpSegment().wrap(buffer, 0, 23);
        segment.emitHeader(1000, 2000, 7, 9, TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH, 512, new TcpOptionValues());
        bytes[20] = 'x';
        bytes[21] = 'y';
        bytes[22] = 'z';
        segment.fillChecksum(SRC_ADDR, DST_ADDR);
        assertEquals(referenceChecksum(bytes, SRC_ADDR, DST_ADDR), segment.checksum());
    }
}
