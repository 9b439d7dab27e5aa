package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.dominoes.net.wire.WireFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ArpPacketTest
{
    private final ArpPacket arp = new ArpPacket();

    @Test
    void shouldDeconstructRequest()
    {
        final byte[] bytes = hex(WireFixtures.ARP_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final EthernetFrame frame = new EthernetFrame().wrap(buffer, 0, bytes.length);
        assertEquals(WireError.OK, frame.parse());
        assertEquals(MacAddress.BROADCAST, frame.destination());
        assertEquals(EthernetFrame.ETHER_TYPE_ARP, frame.etherType());

        assertEquals(WireError.OK, arp.wrap(buffer, frame.payloadOffset(), frame.payloadLength()).parse());
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), arp.senderHardwareAddress());
        assertEquals(Ipv4Address.parse("10.77.0.1"), arp.senderProtocolAddress());
        assertEquals(MacAddress.ZERO, arp.targetHardwareAddress());
        assertEquals(Ipv4Address.parse("10.77.0.2"), arp.targetProtocolAddress());
    }

    @Test
    void shouldConstructSameBytesAsFixture()
    {
        final byte[] expected = hex(WireFixtures.ARP_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[expected.length]);
        final int offset = EthernetFrame.emit(
            buffer, 0, MacAddress.BROADCAST, MacAddress.parse("02:00:00:00:00:01"), EthernetFrame.ETHER_TYPE_ARP);
        final int length = ArpPacket.emit(
            buffer, offset, ArpPacket.OPERATION_REQUEST,
            MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.77.0.1"),
            MacAddress.ZERO, Ipv4Address.parse("10.77.0.2"));
        assertEquals(28, length);
        assertArrayEquals(expected, buffer.byteArray());
    }

    @Test
    void shouldReportTruncatedForEveryShortPrefix()
    {
        final byte[] bytes = hex(WireFixtures.ARP_REQUEST_FRAME);
        for (int length = 0; length < ArpPacket.ETHERNET_IPV4_LENGTH; length++)
        {
            assertEquals(WireError.TRUNCATED, arp.wrap(new UnsafeBuffer(bytes), 14, length).parse(), "length=" + length);
        }
    }

    @Test
    void shouldReportTruncatedWhenAddressLengthsAskForMoreThanThereIs()
    {
        final byte[] bytes = hex(WireFixtures.ARP_REQUEST_FRAME);
        bytes[14 + ArpPacket.HARDWARE_LENGTH_OFFSET] = (byte)200; // 8 + 2 * (200 + 4) > 46
        assertEquals(WireError.TRUNCATED, arp.wrap(new UnsafeBuffer(bytes), 14, bytes.length - 14).checkLength());
    }

    @Test
    void shouldRejectOtherHardwareProtocolAndOperation()
    {
        final byte[] bytes = hex(WireFixtures.ARP_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putShort(14 + ArpPacket.PROTOCOL_TYPE_OFFSET, (short)0x86DD, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(WireError.UNSUPPORTED, arp.wrap(buffer, 14, 46).parse());

        final byte[] bytes2 = hex(WireFixtures.ARP_REQUEST_FRAME);
        bytes2[14 + ArpPacket.PROTOCOL_LENGTH_OFFSET] = 5;
        assertEquals(WireError.MALFORMED, arp.wrap(new UnsafeBuffer(bytes2), 14, 46).parse());

        final byte[] bytes3 = hex(WireFixtures.ARP_REQUEST_FRAME);
        bytes3[14 + ArpPacket.OPERATION_OFFSET + 1] = 7;
        assertEquals(WireError.MALFORMED, arp.wrap(new UnsafeBuffer(bytes3), 14, 46).parse());
    }
}
