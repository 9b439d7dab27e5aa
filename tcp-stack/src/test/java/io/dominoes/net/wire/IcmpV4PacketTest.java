package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.dominoes.net.wire.WireFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IcmpV4PacketTest
{
    private static final int ICMP = 34;
    private final IcmpV4Packet icmp = new IcmpV4Packet();

    @Test
    void shouldDeconstructEchoRequest()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        assertEquals(WireError.OK, icmp.wrap(new UnsafeBuffer(bytes), ICMP, 16).parse());
        assertEquals(IcmpV4Packet.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x5435, icmp.checksum());
        assertEquals(0x1234, icmp.identifier());
        assertEquals(1, icmp.sequenceNumber());
        assertEquals(ICMP + 8, icmp.dataOffset());
        assertEquals(8, icmp.dataLength());
        assertEquals('a', bytes[icmp.dataOffset()]);
    }

    @Test
    void shouldConstructSameBytesAsFixture()
    {
        final byte[] expected = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putBytes(8, "abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(16, IcmpV4Packet.emitEcho(buffer, 0, IcmpV4Packet.TYPE_ECHO_REQUEST, 0x1234, 1, 8));
        final byte[] message = new byte[16];
        System.arraycopy(expected, ICMP, message, 0, 16);
        assertArrayEquals(message, buffer.byteArray());
    }

    @Test
    void shouldTurnRequestIntoReplyInPlaceLikeAFreshEmit()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        IcmpV4Packet.echoRequestToReplyInPlace(buffer, ICMP);
        assertEquals(WireError.OK, icmp.wrap(buffer, ICMP, 16).parse());
        assertEquals(IcmpV4Packet.TYPE_ECHO_REPLY, icmp.type());

        final UnsafeBuffer fresh = new UnsafeBuffer(new byte[16]);
        fresh.putBytes(8, "abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        IcmpV4Packet.emitEcho(fresh, 0, IcmpV4Packet.TYPE_ECHO_REPLY, 0x1234, 1, 8);
        final byte[] reply = new byte[16];
        buffer.getBytes(ICMP, reply);
        assertArrayEquals(fresh.byteArray(), reply);
    }

    @Test
    void shouldReportTruncatedForEveryShortHeader()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        for (int length = 0; length < IcmpV4Packet.HEADER_LENGTH; length++)
        {
            assertEquals(WireError.TRUNCATED, icmp.wrap(new UnsafeBuffer(bytes), ICMP, length).parse(), "length=" + length);
        }
    }

    @Test
    void shouldDetectBadChecksumOverData()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        bytes[bytes.length - 1] ^= 0x01;
        assertEquals(WireError.BAD_CHECKSUM, icmp.wrap(new UnsafeBuffer(bytes), ICMP, 16).parse());
    }

    @Test
    void shouldChecksumOddLengthMessages()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[13]);
        buffer.putBytes(8, new byte[]{ 1, 2, 3, 4, 5 });
        assertEquals(13, IcmpV4Packet.emitEcho(buffer, 0, IcmpV4Packet.TYPE_ECHO_REQUEST, 9, 9, 5));
        assertEquals(WireError.OK, icmp.wrap(buffer, 0, 13).parse());
        assertEquals(ChecksumsTest.referenceSum(buffer.byteArray(), 0, 13, 0), 0xFFFF);
    }
}
