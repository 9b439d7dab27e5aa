package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressesTest
{
    @Test
    void shouldRoundTripMacAddressThroughTextAndBuffer()
    {
        final long mac = MacAddress.parse("02:1a:FF:00:9c:07");
        assertEquals(0x021AFF009C07L, mac);
        assertEquals("02:1a:ff:00:9c:07", MacAddress.toString(mac));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        MacAddress.put(buffer, 1, mac);
        assertEquals(0x02, buffer.getByte(1));
        assertEquals(0x07, buffer.getByte(6));
        assertEquals(mac, MacAddress.get(buffer, 1));
        assertTrue(MacAddress.isMulticast(MacAddress.BROADCAST));
        assertTrue(MacAddress.isMulticast(MacAddress.parse("01:00:5e:00:00:01")));
        assertFalse(MacAddress.isMulticast(mac));
    }

    @Test
    void shouldRejectBadMacText()
    {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00:zz"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00:100"));
    }

    @Test
    void shouldRoundTripIpv4AndTestSubnets()
    {
        final int address = Ipv4Address.parse("10.77.0.254");
        assertEquals(0x0A4D00FE, address);
        assertEquals("10.77.0.254", Ipv4Address.toString(address));
        assertEquals("255.255.255.255", Ipv4Address.toString(Ipv4Address.BROADCAST));
        assertEquals(0xFFFFFF00, Ipv4Address.netmask(24));
        assertEquals(0, Ipv4Address.netmask(0));
        assertEquals(-1, Ipv4Address.netmask(32));
        assertTrue(Ipv4Address.inSubnet(address, Ipv4Address.parse("10.77.0.0"), 24));
        assertFalse(Ipv4Address.inSubnet(Ipv4Address.parse("10.77.1.1"), address, 24));
        assertTrue(Ipv4Address.inSubnet(Ipv4Address.parse("8.8.8.8"), address, 0));
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("224.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.netmask(33));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("10.77.0"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("10.77.0.256"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("10.77..1"));
    }
}
