package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.dominoes.net.wire.WireFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EthernetFrameTest
{
    private final EthernetFrame frame = new EthernetFrame();

    @Test
    void shouldDeconstructUntaggedFrame()
    {
        final byte[] bytes = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        assertEquals(WireError.OK, frame.wrap(new UnsafeBuffer(bytes), 0, bytes.length).parse());
        assertEquals(MacAddress.parse("02:00:00:00:00:02"), frame.destination());
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), frame.source());
        assertEquals(EthernetFrame.ETHER_TYPE_IPV4, frame.etherType());
        assertEquals(0, frame.vlanTagCount());
        assertEquals(-1, frame.outerVlanId());
        assertEquals(14, frame.headerLength());
        assertEquals(14, frame.payloadOffset());
        assertEquals(bytes.length - 14, frame.payloadLength());
    }

    @Test
    void shouldSkipVlanTagOfRealCapture()
    {
        final byte[] bytes = hex(WireFixtures.VLAN_TCP_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 3]);
        buffer.putBytes(3, bytes);
        assertEquals(WireError.OK, frame.wrap(buffer, 3, bytes.length).parse());
        assertEquals(MacAddress.parse("05:04:03:02:01:00"), frame.destination());
        assertEquals(MacAddress.parse("00:01:02:03:04:05"), frame.source());
        assertEquals(1, frame.vlanTagCount());
        assertEquals(6, frame.outerVlanId());
        assertEquals(EthernetFrame.ETHER_TYPE_IPV4, frame.etherType());
        assertEquals(18, frame.headerLength());
        assertEquals(3 + 18, frame.payloadOffset());
        assertEquals(0x45, buffer.getByte(frame.payloadOffset()));
    }

    @Test
    void shouldSkipTwoTagsAndRejectThree()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        EthernetFrame.emit(buffer, 0, 1, 2, EthernetFrame.ETHER_TYPE_QINQ);
        buffer.putShort(14, (short)0x0064, java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putShort(16, (short)EthernetFrame.ETHER_TYPE_VLAN, java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putShort(18, (short)0x0005, java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putShort(20, (short)EthernetFrame.ETHER_TYPE_ARP, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(WireError.OK, frame.wrap(buffer, 0, 64).parse());
        assertEquals(2, frame.vlanTagCount());
        assertEquals(100, frame.outerVlanId());
        assertEquals(EthernetFrame.ETHER_TYPE_ARP, frame.etherType());
        assertEquals(22, frame.headerLength());

        buffer.putShort(20, (short)EthernetFrame.ETHER_TYPE_VLAN, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(WireError.UNSUPPORTED, frame.wrap(buffer, 0, 64).parse());
    }

    @Test
    void shouldConstructSameBytesAsFixture()
    {
        final byte[] expected = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(expected.clone());
        final int length = EthernetFrame.emit(
            buffer, 0, MacAddress.parse("02:00:00:00:00:02"), MacAddress.parse("02:00:00:00:00:01"), 0x0800);
        assertEquals(EthernetFrame.HEADER_LENGTH, length);
        final UnsafeBuffer fresh = new UnsafeBuffer(new byte[14]);
        EthernetFrame.emit(fresh, 0, MacAddress.parse("02:00:00:00:00:02"), MacAddress.parse("02:00:00:00:00:01"), 0x0800);
        final byte[] header = new byte[14];
        System.arraycopy(expected, 0, header, 0, 14);
        assertArrayEquals(header, fresh.byteArray());
    }

    @Test
    void shouldReportTruncatedForEveryShortPrefix()
    {
        final byte[] untagged = hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME);
        for (int length = 0; length < EthernetFrame.HEADER_LENGTH; length++)
        {
            assertEquals(WireError.TRUNCATED, frame.wrap(new UnsafeBuffer(untagged), 0, length).checkLength(), "length=" + length);
        }
        final byte[] tagged = hex(WireFixtures.VLAN_TCP_FRAME);
        for (int length = 0; length < 18; length++)
        {
            assertEquals(WireError.TRUNCATED, frame.wrap(new UnsafeBuffer(tagged), 0, length).checkLength(), "length=" + length);
        }
        assertEquals(WireError.OK, frame.wrap(new UnsafeBuffer(tagged), 0, 18).checkLength());
        assertEquals(0, frame.payloadLength());
    }

    @Test
    void shouldRejectIeee8023LengthFrames()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[60]);
        EthernetFrame.emit(buffer, 0, MacAddress.parse("01:80:c2:00:00:00"), 2, 0x0026); // STP over LLC
        assertEquals(WireError.OK, frame.wrap(buffer, 0, 60).checkLength());
        assertEquals(WireError.UNSUPPORTED, frame.wrap(buffer, 0, 60).parse());
    }
}
