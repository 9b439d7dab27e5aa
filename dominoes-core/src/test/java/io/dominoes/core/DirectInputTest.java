package io.dominoes.core;

import io.dominoes.channels.ChannelResult;
import io.dominoes.core.idle.IdleStrategies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class DirectInputTest
{
    private static final int ADD = 1;
    private static final int READ = 2;

    /** Replicated state: how many ADD events were applied (the progress fences are compared with). */
    static final class Counter implements Domain
    {
        long applied;
        long sum;
        /** Per direct event run here: its key, then the progress it saw. */
        final List<long[]> reads = new ArrayList<>();

        public long stateDigest()
        {
            return applied * 31 + sum;
        }
    }

    private static HandlerRegistry<Counter> handlers()
    {
        return new HandlerRegistry<Counter>()
            .replicated(ADD, (c, ctx, b, o, l) ->
            {
                c.applied++;
                c.sum += b.getLong(o);
            })
            .direct(READ, (c, ctx, b, o, l) ->
            {
                assertTrue(ctx.isOwner());
                c.reads.add(new long[] { ctx.key(), c.applied, b.getLong(o) });
            });
    }

    private static ReplicaGroup.Builder<Counter> builder(final int replicas, final int directCapacity)
    {
        return ReplicaGroup.builder(i -> new Counter()).name("dit").replicas(replicas)
            .channel(TestChannels.ring(1 << 16)).multiPublisher(true).handlers(handlers())
            .idleStrategy(IdleStrategies.byName("park")).directInput(directCapacity, c -> c.applied);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 4 })
    void aDirectEventRunsOnlyOnItsOwnerOnce(final int replicas)
    {
        final ReplicaGroup<Counter> group = builder(replicas, 1 << 16).start();
        final EventPublisher pub = group.newPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < 1_000; i++)
        {
            body.putLong(0, i);
            assertEquals(i % replicas, pub.publishDirect(READ, i, 0, body, 0, 8), "owner = key mod N");
        }
        group.close(ShutdownMode.DRAIN);
        int total = 0;
        for (int r = 0; r < replicas; r++)
        {
            for (final long[] read : group.domain(r).reads)
            {
                assertEquals(r, (int)(read[0] % replicas), "key " + read[0] + " ran on replica " + r);
                assertEquals(read[0], read[2], "body delivered intact");
            }
            total += group.domain(r).reads.size();
            assertEquals(group.domain(r).reads.size(), group.counters(r).get(ReplicaCounters.DIRECT_RUNS));
            assertEquals(0, group.handledEvents(r), "direct events never enter the broadcast input");
        }
        assertEquals(1_000, total);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void aWaitingDirectEventRunsAtItsFencesPlaceInInputOrder(final int replicas)
    {
        assertEachRunsAtItsFence(replicas, 1 << 20, 0, 2_000);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void aWaitingDirectEventRunsAtItsPlaceAcrossTheRingsWrap(final int replicas)
    {
        // 64 KiB rings whose head is first moved to 40 KB: the fenced events wrap around the buffer's end, where
        // one ring read stops short of the poll limit although more are ready.
        assertEachRunsAtItsFence(replicas, 1 << 16, 1_000, 200);
    }

    /**
     * Direct events queued before the input exists, fences 0..k, several per fence and replica (more than a poll's
     * limit): each must run after exactly `fence` ADDs and before the next one, i.e. where it would sit had it been
     * broadcast right after input `fence`.
     */
    private static void assertEachRunsAtItsFence(final int replicas, final int capacity, final int fillers, final int k)
    {
        final int perFence = 5;
        final ReplicaGroup<Counter> group = builder(replicas, capacity).pollLimit(3).start();
        final EventPublisher pub = group.newPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < fillers; i++)
        {
            for (int r = 0; r < replicas; r++)
            {
                body.putLong(0, -1);
                pub.publishDirect(READ, r, 0, body, 0, 8); // runs at once: moves each ring's head along
            }
        }
        for (int r = 0; r < replicas; r++)
        {
            while (group.counters(r).get(ReplicaCounters.DIRECT_RUNS) < fillers)
            {
                Thread.onSpinWait();
            }
        }
        for (int f = 0; f <= k; f++)
        {
            for (int j = 0; j < perFence; j++)
            {
                for (int r = 0; r < replicas; r++)
                {
                    body.putLong(0, f);
                    pub.publishDirect(READ, r, f, body, 0, 8); // key r: owner r
                }
            }
        }
        for (int i = 0; i < k; i++)
        {
            body.putLong(0, i);
            pub.publish(ADD, i, body, 0, 8);
        }
        group.close(ShutdownMode.DRAIN);
        for (int r = 0; r < replicas; r++)
        {
            final List<long[]> reads = group.domain(r).reads;
            assertEquals(fillers + perFence * (k + 1), reads.size(), "replica " + r);
            for (final long[] read : reads.subList(fillers, reads.size()))
            {
                assertEquals(read[2], read[1], "replica " + r + ": event with fence " + read[2] + " saw progress " +
                    read[1] + " (it must run after input " + read[2] + " and before the next)");
            }
        }
    }

    @Test
    void aFullDirectInputPushesBackUntilTheOwnerMovesOn() throws Exception
    {
        final ReplicaGroup<Counter> group = builder(1, 1024).start();
        final EventPublisher pub = group.newPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        int accepted = 0;
        long result;
        while ((result = pub.offerDirect(READ, 0, 1, body, 0, 64)) >= 0) // fence 1: held until one ADD
        {
            accepted++;
        }
        assertEquals(ChannelResult.BACK_PRESSURED, result);
        assertTrue(accepted > 0 && accepted < 1024 / 64, "accepted " + accepted);
        assertEquals(1, pub.backPressureCount());
        final CountDownLatch done = new CountDownLatch(1);
        final Thread publisher = new Thread(() ->
        {
            pub.publishDirect(READ, 0, 1, body, 0, 64); // retries until the owner frees room
            done.countDown();
        });
        publisher.start();
        body.putLong(0, 5);
        group.newPublisher().publish(ADD, 0, body, 0, 8);
        publisher.join(10_000);
        assertEquals(0, done.getCount(), "publishDirect returned once the fence was reached and room freed");
        group.close(ShutdownMode.DRAIN);
        assertEquals(accepted + 1, group.domain(0).reads.size());
        for (final long[] read : group.domain(0).reads)
        {
            assertEquals(1, read[1], "ran after the ADD its fence names");
        }
    }

    @Test
    void concurrentPublishersLoseNothing() throws Exception
    {
        final int perThread = 20_000;
        final ReplicaGroup<Counter> group = builder(2, 1 << 12).start(); // small: publishers meet back-pressure
        final Thread[] threads = new Thread[3];
        for (int t = 0; t < threads.length; t++)
        {
            final int id = t;
            final EventPublisher pub = group.newPublisher();
            threads[t] = new Thread(() ->
            {
                final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
                for (int i = 0; i < perThread; i++)
                {
                    body.putLong(0, id * (long)perThread + i);
                    pub.publishDirect(READ, id * (long)perThread + i, 0, body, 0, 8);
                }
            });
            threads[t].start();
        }
        for (final Thread t : threads)
        {
            t.join(30_000);
        }
        group.close(ShutdownMode.DRAIN);
        final boolean[] seen = new boolean[threads.length * perThread];
        for (int r = 0; r < 2; r++)
        {
            for (final long[] read : group.domain(r).reads)
            {
                assertFalse(seen[(int)read[2]], "event " + read[2] + " ran twice");
                seen[(int)read[2]] = true;
            }
        }
        for (int i = 0; i < seen.length; i++)
        {
            assertTrue(seen[i], "event " + i + " lost");
        }
    }

    @Test
    void aDirectHandlerFailureStopsTheGroupNamingIt()
    {
        final HandlerRegistry<Counter> handlers = new HandlerRegistry<Counter>()
            .direct(READ, (c, ctx, b, o, l) ->
            {
                throw new IllegalStateException("boom");
            });
        final ReplicaGroup<Counter> group = ReplicaGroup.builder(i -> new Counter()).name("dit").replicas(1)
            .channel(TestChannels.ring(1 << 12)).handlers(handlers).idleStrategy(IdleStrategies.byName("park"))
            .directInput(1 << 12, c -> c.applied).start();
        group.newPublisher().publishDirect(READ, 0, 0, new UnsafeBuffer(new byte[8]), 0, 8);
        final ReplicaGroupException ex = assertThrows(ReplicaGroupException.class, () -> group.close(ShutdownMode.DRAIN));
        assertTrue(ex.getMessage().contains("direct handler"), ex.getMessage());
        assertTrue(ex.getMessage().contains("type=" + READ), ex.getMessage());
    }

    @Test
    void misuseFailsFastSayingWhatToChange()
    {
        final EventHandler<Counter> h = (c, ctx, b, o, l) -> { };
        final IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
            () -> new HandlerRegistry<Counter>().replicated(READ, h).direct(READ, h));
        assertTrue(both.getMessage().contains("already has a handler"), both.getMessage());
        final IllegalArgumentException after = assertThrows(IllegalArgumentException.class,
            () -> new HandlerRegistry<Counter>().direct(READ, h).partitioned(READ, h));
        assertTrue(after.getMessage().contains("is direct"), after.getMessage());

        final IllegalArgumentException noProgress = assertThrows(IllegalArgumentException.class,
            () -> ReplicaGroup.builder(i -> new Counter()).replicas(1).channel(TestChannels.ring(1 << 12))
                .handlers(new HandlerRegistry<Counter>().direct(READ, h)).start());
        assertTrue(noProgress.getMessage().contains("directInput"), noProgress.getMessage());
        final IllegalArgumentException badCapacity = assertThrows(IllegalArgumentException.class,
            () -> builder(1, 3000).start());
        assertTrue(badCapacity.getMessage().contains("power of two"), badCapacity.getMessage());

        final ReplicaGroup<Counter> group = builder(1, 1 << 12).start();
        try
        {
            final EventPublisher pub = group.newPublisher();
            final UnsafeBuffer body = new UnsafeBuffer(new byte[4096]);
            final IllegalArgumentException notDirect = assertThrows(IllegalArgumentException.class,
                () -> pub.offerDirect(ADD, 0, 0, body, 0, 8));
            assertTrue(notDirect.getMessage().contains("no direct handler"), notDirect.getMessage());
            final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> pub.offerDirect(READ, 0, 0, body, 0, pub.maxDirectBodyLength() + 1));
            assertTrue(tooLong.getMessage().contains("capacity"), tooLong.getMessage());
        }
        finally
        {
            group.close();
        }

        final ReplicaGroup<Counter> plain = ReplicaGroup.builder(i -> new Counter()).replicas(1)
            .channel(TestChannels.ring(1 << 12)).handlers(new HandlerRegistry<Counter>().replicated(ADD, h))
            .idleStrategy(IdleStrategies.byName("park")).start();
        try
        {
            final IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> plain.newPublisher().offerDirect(READ, 0, 0, new UnsafeBuffer(new byte[8]), 0, 8));
            assertTrue(none.getMessage().contains("no direct input"), none.getMessage());
        }
        finally
        {
            plain.close();
        }
    }
}
