package io.dominoes.core;

import io.dominoes.core.idle.IdleStrategies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DigestTest
{
    static final int GOOD = 1;
    static final int SLOPPY = 2;

    static final class Sum implements Domain
    {
        long sum;

        public long stateDigest()
        {
            return sum;
        }
    }

    private static ReplicaGroup<Sum> start(final int replicas, final int digestEvery)
    {
        final HandlerRegistry<Sum> handlers = new HandlerRegistry<Sum>()
            .replicated(GOOD, (s, ctx, b, o, l) -> s.sum += b.getLong(o))
            // Deliberately non-deterministic: depends on which replica runs it.
            .replicated(SLOPPY, (s, ctx, b, o, l) -> s.sum += b.getLong(o) + ctx.replicaIndex());
        return ReplicaGroup.builder(i -> new Sum()).name("dt").replicas(replicas).channel(TestChannels.ring(1 << 14))
            .multiPublisher(true).handlers(handlers).digestEvery(digestEvery).idleStrategy(IdleStrategies.byName("park"))
            .start();
    }

    private static void publish(final EventPublisher pub, final int count, final int sloppyAt)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < count; i++)
        {
            body.putLong(0, i);
            if (!tryPublish(pub, i == sloppyAt ? SLOPPY : GOOD, body))
            {
                return;
            }
        }
    }

    private static boolean tryPublish(final EventPublisher pub, final int type, final UnsafeBuffer body)
    {
        try
        {
            pub.publish(type, 0, body, 0, 8);
            return true;
        }
        catch (final ReplicaGroupException ex)
        {
            return false; // the group stopped; close() reports why
        }
    }

    @Test
    void deterministicHandlersPassEveryComparison()
    {
        final ReplicaGroup<Sum> group = start(2, 1);
        publish(group.newPublisher(), 1_000, -1);
        group.close(ShutdownMode.DRAIN);
        final long compared = group.counters(0).get(ReplicaCounters.DIGESTS_COMPARED) +
            group.counters(1).get(ReplicaCounters.DIGESTS_COMPARED);
        // Of two replicas reaching a checkpoint, at least one sees the other's digest (volatile tags).
        assertTrue(compared >= 1_000, "compared=" + compared);
        assertEquals(group.domain(0).sum, group.domain(1).sum);
    }

    @Test
    void nonDeterministicHandlerStopsTheGroupNamingTheEventAndType()
    {
        final ReplicaGroup<Sum> group = start(2, 1);
        publish(group.newPublisher(), 200, 40);
        final DivergenceException ex = assertThrows(DivergenceException.class, () -> group.close(ShutdownMode.DRAIN));
        assertEquals(40, ex.sequence());
        assertEquals(SLOPPY, ex.type());
        assertTrue(ex.getMessage().contains("after event seq=40 type=2 (replicated handler"), ex.getMessage());
    }

    @Test
    void sparseDigestsNameTheWindowTheDivergenceIsIn()
    {
        final ReplicaGroup<Sum> group = start(4, 8);
        publish(group.newPublisher(), 200, 42);
        final DivergenceException ex = assertThrows(DivergenceException.class, () -> group.close(ShutdownMode.DRAIN));
        assertEquals(47, ex.sequence(), "first checkpoint after the sloppy event");
        assertTrue(ex.getMessage().contains("diverged in events seq 40..47"), ex.getMessage());
    }
}
