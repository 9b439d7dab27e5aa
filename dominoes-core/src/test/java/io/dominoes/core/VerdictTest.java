package io.dominoes.core;

import io.dominoes.core.idle.IdleStrategies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DESIGN.md section 4, the TCP checksum case: the verdict is partitioned work, the window update that
 * depends on it is replicated.
 */
@Timeout(60)
class VerdictTest
{
    static final int SEGMENT = 1;
    static final int OTHER = 2;
    static final int EVENTS = 3_000;
    static final int CORRUPT_EVERY = 5;
    static final int BAD = 1;

    static final class Window implements Domain
    {
        long accepted;
        long acceptedSum;
        final List<Long> rejectedKeys = new ArrayList<>();
        long others;

        public long stateDigest()
        {
            return accepted * 31 + acceptedSum + rejectedKeys.size() * 7919L + others;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 4 })
    void ownerComputesEachVerdictOnceAndEveryReplicaRejectsExactlyTheCorruptEvents(final int replicas)
    {
        final AtomicIntegerArray verifications = new AtomicIntegerArray(EVENTS);
        final AtomicIntegerArray wrongOwner = new AtomicIntegerArray(1);
        final VerdictHandler checksum = (type, key, b, o, l) ->
        {
            verifications.incrementAndGet((int)key);
            final String thread = Thread.currentThread().getName();
            if (!thread.equals("vt-replica-" + (key % replicas)))
            {
                wrongOwner.incrementAndGet(0);
            }
            return b.getLong(o + 8) != 0 ? BAD : 0;
        };
        final HandlerRegistry<Window> handlers = new HandlerRegistry<Window>()
            .verified(SEGMENT, checksum, (w, ctx, b, o, l) ->
            {
                if (ctx.verdict() == 0)
                {
                    w.accepted++;
                    w.acceptedSum += b.getLong(o);
                }
                else
                {
                    w.rejectedKeys.add(ctx.key());
                }
            })
            .replicated(OTHER, (w, ctx, b, o, l) -> w.others++);
        // A small verdict table makes the gate close often: look-aheads must wait for the slowest replica.
        final ReplicaGroup<Window> group = ReplicaGroup.builder(i -> new Window()).name("vt").replicas(replicas)
            .channel(TestChannels.ring(1 << 14)).multiPublisher(true).handlers(handlers).verdictCapacity(16)
            .digestEvery(64).idleStrategy(IdleStrategies.byName("park")).start();
        assertEquals(replicas > 1 ? 2 * replicas : 1, group.channel().subscriberCount(),
            "a look-ahead cursor per replica, none for a single replica (it verifies inline)");

        final EventPublisher pub = group.newPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[16]);
        final List<Long> corrupt = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++)
        {
            final boolean bad = i % CORRUPT_EVERY == CORRUPT_EVERY - 1;
            body.putLong(0, i);
            body.putLong(8, bad ? 1 : 0);
            pub.publish(SEGMENT, i, body, 0, 16);
            if (bad)
            {
                corrupt.add((long)i);
            }
            if (i % 10 == 0)
            {
                pub.publish(OTHER, i, body, 0, 0);
            }
        }
        group.close(ShutdownMode.DRAIN);

        for (int i = 0; i < EVENTS; i++)
        {
            assertEquals(1, verifications.get(i), "verdict of event key " + i + " computed once");
        }
        assertEquals(0, wrongOwner.get(0), "every verdict computed on its owner (key mod N)");
        long computed = 0;
        for (int r = 0; r < replicas; r++)
        {
            final Window w = group.domain(r);
            assertEquals(corrupt, w.rejectedKeys, "replica " + r + " rejected exactly the corrupt events");
            assertEquals(EVENTS - corrupt.size(), w.accepted);
            assertEquals(EVENTS / 10, w.others);
            computed += group.counters(r).get(ReplicaCounters.VERDICTS_COMPUTED);
        }
        assertEquals(EVENTS, computed);
    }
}
