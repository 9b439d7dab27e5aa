package io.dominoes.core;

import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.idle.IdleStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HandlerRegistryTest
{
    private static final EventHandler<Domain> NOOP = (d, ctx, b, o, l) -> {};

    @Test
    void registeringASecondReplicatedHandlerForATypeFailsNamingTheType()
    {
        final HandlerRegistry<Domain> r = new HandlerRegistry<>().replicated(7, NOOP);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> r.replicated(7, NOOP));
        assertTrue(ex.getMessage().startsWith("type 7 already has a replicated handler"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.verified(7, (t, k, b, o, l) -> 0, NOOP));
    }

    @Test
    void registeringASecondPartitionedOrClaimedHandlerFails()
    {
        final HandlerRegistry<Domain> r = new HandlerRegistry<>().partitioned(3, NOOP).replicated(3, NOOP);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.claimed(3, NOOP))
            .getMessage().startsWith("type 3 already has a partitioned handler"));
        assertThrows(IllegalArgumentException.class, () -> r.partitioned(3, NOOP));
    }

    @Test
    void nullHandlersFailNamingTheType()
    {
        final HandlerRegistry<Domain> r = new HandlerRegistry<>();
        assertEquals("replicated handler for type 5 is null",
            assertThrows(IllegalArgumentException.class, () -> r.replicated(5, null)).getMessage());
        assertEquals("partitioned handler for type 5 is null",
            assertThrows(IllegalArgumentException.class, () -> r.partitioned(5, null)).getMessage());
        assertEquals("verdict handler for type 5 is null",
            assertThrows(IllegalArgumentException.class, () -> r.verified(5, null, NOOP)).getMessage());
        assertEquals("timer handler is null", assertThrows(IllegalArgumentException.class, () -> r.timers(null)).getMessage());
    }

    @Test
    void lookupFindsTheSameBindingForSmallLargeAndNegativeTypes()
    {
        final EventHandler<Domain> h = (d, ctx, b, o, l) -> { };
        final int[] types = { 0, 1, 255, 256, 70_000, -5, Integer.MAX_VALUE };
        final HandlerRegistry<Domain> registry = new HandlerRegistry<>();
        for (final int type : types)
        {
            registry.replicated(type, h);
        }
        for (final int type : types)
        {
            assertEquals(type, registry.get(type).type, "binding of type " + type);
            assertSame(h, registry.get(type).replicated);
        }
        assertNull(registry.get(2));
        assertNull(registry.get(257));
        assertNull(registry.get(-6));
    }

    @Test
    void reservedTypesAreRejected()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new HandlerRegistry<>().replicated(EventDescriptor.TICK_TYPE, NOOP));
        assertTrue(ex.getMessage().contains("is reserved"), ex.getMessage());
    }

    @Test
    void zeroOrNegativeReplicasFailNamingTheValue()
    {
        for (final int n : new int[]{ 0, -3 })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
                ReplicaGroup.builder(i -> new Domain() {}).replicas(n).channel(TestChannels.ring(4096))
                    .handlers(new HandlerRegistry<>()).idleStrategy(IdleStrategies.byName("park")).start());
            assertEquals("replicas=" + n + " must be > 0", ex.getMessage());
        }
    }

    @Test
    void badCapacitiesAndDigestsWithoutDomainSupportFailFast()
    {
        assertEquals("verdictCapacity=100 must be a positive power of two", assertThrows(IllegalArgumentException.class, () ->
            ReplicaGroup.builder(i -> new Domain() {}).replicas(1).channel(TestChannels.ring(4096))
                .handlers(new HandlerRegistry<>()).verdictCapacity(100).start()).getMessage());
        final UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class, () ->
            ReplicaGroup.builder(i -> new Domain() {}).replicas(1).channel(TestChannels.ring(4096))
                .handlers(new HandlerRegistry<>()).digestEvery(4).start());
        assertTrue(ex.getMessage().endsWith("does not implement stateDigest()"), ex.getMessage());
    }
}
