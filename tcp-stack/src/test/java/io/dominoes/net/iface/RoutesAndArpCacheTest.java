package io.dominoes.net.iface;

import io.dominoes.net.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutesAndArpCacheTest
{
    @Test
    void shouldRouteOnLinkDirectlyAndOffLinkViaGateway()
    {
        final Routes routes = new Routes(Ipv4Address.parse("10.0.0.5"), 24, Ipv4Address.parse("10.0.0.1"));
        assertEquals(Ipv4Address.parse("10.0.0.9"), routes.nextHop(Ipv4Address.parse("10.0.0.9")));
        assertEquals(Ipv4Address.parse("10.0.0.1"), routes.nextHop(Ipv4Address.parse("192.0.2.1")));
        assertTrue(routes.isBroadcast(Ipv4Address.parse("10.0.0.255")));
        assertTrue(routes.isBroadcast(Ipv4Address.BROADCAST));
        assertFalse(routes.isBroadcast(Ipv4Address.parse("10.0.1.255")));
        assertEquals(Routes.NO_ROUTE,
            new Routes(Ipv4Address.parse("10.0.0.5"), 24, 0).nextHop(Ipv4Address.parse("192.0.2.1")));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new Routes(Ipv4Address.parse("10.0.0.5"), 24, Ipv4Address.parse("10.0.1.1")));
        assertEquals("gateway 10.0.1.1 is not in 10.0.0.5/24", ex.getMessage());
    }

    @Test
    void shouldExpireEntriesAndEvictTheOldestWhenFull()
    {
        final ArpCache cache = new ArpCache(2, 100, 10);
        cache.update(1, 0xA, 0);
        cache.update(2, 0xB, 50);
        assertEquals(0xA, cache.lookup(1, 99));
        assertEquals(ArpCache.MISSING, cache.lookup(1, 100));
        cache.update(3, 0xC, 60); // evicts 1 (expires first)
        assertEquals(ArpCache.MISSING, cache.lookup(1, 60));
        assertEquals(0xB, cache.lookup(2, 60));
        assertEquals(0xC, cache.lookup(3, 60));
    }

    @Test
    void shouldRateLimitRequestsPerAddress()
    {
        final ArpCache cache = new ArpCache(4, 100, 10);
        assertTrue(cache.tryRequest(7, 0));
        assertFalse(cache.tryRequest(7, 9));
        assertTrue(cache.tryRequest(8, 9), "other address unaffected");
        assertTrue(cache.tryRequest(7, 10));
        assertEquals(2, cache.requestsSent(7));
        assertEquals(20, cache.nextRequestNs(7));
        cache.update(7, 0x1, 11);
        assertEquals(0, cache.requestsSent(7));
        assertEquals(0x1, cache.lookup(7, 11));
    }
}
