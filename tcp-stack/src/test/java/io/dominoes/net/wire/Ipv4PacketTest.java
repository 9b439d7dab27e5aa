package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static io.dominoes.net.wire.WireFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4PacketTest
{
    private static final int IP = EthernetFrame.HEADER_LENGTH;
    private final Ipv4Packet ip = new Ipv4Packet();

    @Test
    void shouldDeconstructFixture()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        assertEquals(WireError.OK, ip.wrap(new UnsafeBuffer(bytes), IP, bytes.length - IP).parse());
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.optionsLength());
        assertEquals(36, ip.totalLength());
        assertEquals(0x1c46, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.isFragment());
        assertEquals(0, ip.fragmentOffset());
        assertEquals(64, ip.timeToLive());
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ip.protocol());
        assertEquals(0x09f7, ip.checksum());
        assertEquals(Ipv4Address.parse("10.77.0.1"), ip.sourceAddress());
        assertEquals(Ipv4Address.parse("10.77.0.2"), ip.destinationAddress());
        assertEquals(IP + 20, ip.payloadOffset());
        assertEquals(16, ip.payloadLength());
    }

    @Test
    void shouldConstructSameBytesAsFixture()
    {
        final byte[] expected = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        assertEquals(20, Ipv4Packet.emit(buffer, 0, 16, 0x1c46, Ipv4Packet.FLAG_DONT_FRAGMENT, 64,
            Ipv4Packet.PROTOCOL_ICMP, Ipv4Address.parse("10.77.0.1"), Ipv4Address.parse("10.77.0.2")));
        final byte[] header = new byte[20];
        System.arraycopy(expected, IP, header, 0, 20);
        assertArrayEquals(header, buffer.byteArray());
    }

    @Test
    void shouldExcludeEthernetPaddingFromPayload()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME + "0000000000000000");
        assertEquals(WireError.OK, ip.wrap(new UnsafeBuffer(bytes), IP, bytes.length - IP).parse());
        assertEquals(16, ip.payloadLength());
    }

    @Test
    void shouldReportTruncatedForEveryShortPrefix()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        for (int length = 0; length < 36; length++)
        {
            assertEquals(WireError.TRUNCATED, ip.wrap(new UnsafeBuffer(bytes), IP, length).checkLength(), "length=" + length);
            assertEquals(WireError.TRUNCATED, ip.wrap(new UnsafeBuffer(bytes), IP, length).parse(), "length=" + length);
        }
    }

    @Test
    void shouldRejectImpossibleLengths()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        buffer.putByte(IP, (byte)0x44); // IHL 4: 16-byte header
        assertEquals(WireError.BAD_HEADER_LENGTH, ip.wrap(buffer, IP, 36).parse());

        buffer.putByte(IP, (byte)0x4F); // IHL 15: 60-byte header in a 36-byte packet
        assertEquals(WireError.TRUNCATED, ip.wrap(buffer, IP, 36).parse());

        buffer.putByte(IP, (byte)0x45);
        buffer.putShort(IP + 2, (short)19, ByteOrder.BIG_ENDIAN); // total length below header length
        assertEquals(WireError.BAD_TOTAL_LENGTH, ip.wrap(buffer, IP, 36).parse());

        buffer.putShort(IP + 2, (short)0xFFFF, ByteOrder.BIG_ENDIAN); // beyond the bytes we have
        assertEquals(WireError.TRUNCATED, ip.wrap(buffer, IP, 36).parse());
    }

    @Test
    void shouldRejectOtherVersionsBeforeLengths()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        bytes[IP] = 0x60;
        assertEquals(WireError.BAD_VERSION, ip.wrap(new UnsafeBuffer(bytes), IP, 36).parse());
    }

    @Test
    void shouldDetectBadChecksumAndFixItWithFillChecksum()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putByte(IP + Ipv4Packet.TTL_OFFSET, (byte)63);
        assertEquals(WireError.BAD_CHECKSUM, ip.wrap(buffer, IP, 36).parse());
        Ipv4Packet.fillChecksum(buffer, IP, 20);
        assertEquals(WireError.OK, ip.wrap(buffer, IP, 36).parse());
    }

    @Test
    void shouldReadFragmentFields()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
        Ipv4Packet.emit(buffer, 0, 20, 7, Ipv4Packet.FLAG_MORE_FRAGMENTS | 185, 64, 17, 1, 2);
        assertEquals(WireError.OK, ip.wrap(buffer, 0, 40).parse());
        assertTrue(ip.moreFragments());
        assertTrue(ip.isFragment());
        assertFalse(ip.dontFragment());
        assertEquals(1480, ip.fragmentOffset());

        Ipv4Packet.emit(buffer, 0, 20, 7, Ipv4Packet.FLAG_RESERVED, 64, 17, 1, 2);
        assertEquals(WireError.MALFORMED, ip.wrap(buffer, 0, 40).parse());
    }

    @Test
    void shouldParseWellFormedOptionsAndRejectOverrunningOnes()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[28]);
        // IHL 6: a 4-byte options area holding NOP, then Router Alert (RFC 2113: type 148, length 4)
        // would overrun, so use NOP, NOP, NOP, EOL first.
        Ipv4Packet.emit(buffer, 0, 8, 1, 0, 1, 17, 1, 2);
        buffer.putByte(0, (byte)0x46);
        buffer.putShort(2, (short)28, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(20, new byte[]{ 1, 1, 1, 0 });
        Ipv4Packet.fillChecksum(buffer, 0, 24);
        assertEquals(WireError.OK, ip.wrap(buffer, 0, 28).parse());
        assertEquals(4, ip.optionsLength());
        assertEquals(24, ip.payloadOffset());
        assertEquals(4, ip.payloadLength());

        buffer.putBytes(20, new byte[]{ (byte)148, 4, 0, 0 }); // Router Alert, exactly fits
        Ipv4Packet.fillChecksum(buffer, 0, 24);
        assertEquals(WireError.OK, ip.wrap(buffer, 0, 28).parse());

        buffer.putBytes(20, new byte[]{ 1, (byte)148, 4, 0 }); // runs one byte past the header
        Ipv4Packet.fillChecksum(buffer, 0, 24);
        assertEquals(WireError.MALFORMED, ip.wrap(buffer, 0, 28).parse());

        buffer.putBytes(20, new byte[]{ 7, 1, 0, 0 }); // option length 1 < 2
        Ipv4Packet.fillChecksum(buffer, 0, 24);
        assertEquals(WireError.MALFORMED, ip.wrap(buffer, 0, 28).parse());
    }
}
