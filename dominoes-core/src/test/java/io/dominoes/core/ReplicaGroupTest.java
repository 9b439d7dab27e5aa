package io.dominoes.core;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Subscriber;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.os.affinity.CpuAffinity;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ReplicaGroupTest
{
    static final int ADD = 1;
    static final int TOUCH = 2;
    static final int ECHO = 3;
    static final int FOLLOW_UP = 4;
    static final int REPLY = 9;

    /** Replicated state: a running hash over (sequence, type, key, value) plus a sum. */
    static final class Log implements Domain
    {
        long hash = 17;
        long sum;
        long events;
        final List<Long> partitionedSeqs = new ArrayList<>();

        void apply(final EventContext ctx, final long value)
        {
            hash = hash * 31 + ctx.sequence();
            hash = hash * 31 + ctx.type();
            hash = hash * 31 + ctx.key();
            hash = hash * 31 + value;
            sum += value;
            events++;
        }

        public long stateDigest()
        {
            return hash;
        }
    }

    private static ReplicaGroup.Builder<Log> builder(final int replicas, final HandlerRegistry<Log> handlers)
    {
        return ReplicaGroup.builder(i -> new Log()).name("rgt").replicas(replicas).channel(TestChannels.ring(1 << 14))
            .multiPublisher(true).handlers(handlers).idleStrategy(IdleStrategies.byName("park"));
    }

    private static void publishValues(final EventPublisher pub, final int type, final int count)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < count; i++)
        {
            body.putLong(0, i * 7L + 1);
            pub.publish(type, i, body, 0, 8);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 4 })
    void everyReplicaAppliesEveryEventInTheSameOrder(final int replicas)
    {
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .replicated(ADD, (log, ctx, b, o, l) -> log.apply(ctx, b.getLong(o)));
        final ReplicaGroup<Log> group = builder(replicas, handlers).start();
        publishValues(group.newPublisher(), ADD, 5_000);
        group.close(ShutdownMode.DRAIN);
        final Log first = group.domain(0);
        assertEquals(5_000, first.events);
        for (int r = 1; r < replicas; r++)
        {
            assertEquals(first.hash, group.domain(r).hash, "replica " + r);
            assertEquals(first.sum, group.domain(r).sum);
        }
        assertEquals(5_000, group.handledEvents(0));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 4 })
    void partitionedHandlerRunsOnlyOnTheOwnerKeyModN(final int replicas)
    {
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .partitioned(TOUCH, (log, ctx, b, o, l) -> log.partitionedSeqs.add(ctx.key()));
        final ReplicaGroup<Log> group = builder(replicas, handlers).start();
        publishValues(group.newPublisher(), TOUCH, 1_000);
        group.close(ShutdownMode.DRAIN);
        int total = 0;
        for (int r = 0; r < replicas; r++)
        {
            for (final long key : group.domain(r).partitionedSeqs)
            {
                assertEquals(r, (int)(key % replicas), "key " + key + " ran on replica " + r);
            }
            total += group.domain(r).partitionedSeqs.size();
        }
        assertEquals(1_000, total, "each partitioned event ran exactly once");
    }

    @Test
    void claimedHandlerRunsExactlyOnceAcrossFourReplicas()
    {
        final AtomicIntegerArray runs = new AtomicIntegerArray(3_000);
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .claimed(TOUCH, (log, ctx, b, o, l) -> runs.incrementAndGet((int)ctx.sequence()));
        final ReplicaGroup<Log> group = builder(4, handlers).claimCapacity(64).start();
        publishValues(group.newPublisher(), TOUCH, 3_000);
        group.close(ShutdownMode.DRAIN);
        long sum = 0;
        for (int r = 0; r < 4; r++)
        {
            sum += group.counters(r).get(ReplicaCounters.PARTITIONED_RUNS);
        }
        assertEquals(3_000, sum);
        for (int s = 0; s < 3_000; s++)
        {
            assertEquals(1, runs.get(s), "event " + s);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 4 })
    void replicatedEmitIsSentOnceByTheEventsOwner(final int replicas)
    {
        final BroadcastChannel output = TestChannels.output(1 << 16);
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>().replicated(ECHO, (log, ctx, b, o, l) ->
        {
            log.apply(ctx, b.getLong(o));
            b.getLong(o);
            final boolean sent = ctx.emit(REPLY, ctx.key(), b, o, l);
            assertEquals(ctx.isOwner(), sent);
            assertEquals(ctx.key() % ctx.replicaCount() == ctx.replicaIndex(), sent);
        });
        final ReplicaGroup<Log> group = builder(replicas, handlers).output(output, true).start();
        publishValues(group.newPublisher(), ECHO, 500);
        group.close(ShutdownMode.DRAIN);
        final long[] seen = new long[500];
        final Subscriber sub = output.subscriber(0);
        final int n = TestChannels.drainAll(sub, (type, b, o, l) ->
        {
            assertEquals(REPLY, type);
            assertEquals(EventDescriptor.FLAG_EMITTED, EventDescriptor.flags(b, o));
            seen[(int)EventDescriptor.key(b, o)]++;
        });
        output.close();
        assertEquals(500, n);
        for (int i = 0; i < 500; i++)
        {
            assertEquals(1, seen[i], "reply for key " + i);
        }
        long emits = 0;
        for (int r = 0; r < replicas; r++)
        {
            emits += group.counters(r).get(ReplicaCounters.EMITS);
        }
        assertEquals(500, emits);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void emittingIntoTheChannelTheReplicasReadDoesNotDeadlockWhenFull(final int replicas)
    {
        // A 1 KiB ring holds ~20 events; every ADD emits a FOLLOW_UP into the same ring, so replicas
        // meet back-pressure from a channel they gate themselves.
        final AtomicLong followUps = new AtomicLong();
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .replicated(ADD, (log, ctx, b, o, l) ->
            {
                log.apply(ctx, b.getLong(o));
                ctx.emit(FOLLOW_UP, ctx.key(), b, o, l);
            })
            .replicated(FOLLOW_UP, (log, ctx, b, o, l) ->
            {
                log.apply(ctx, -b.getLong(o));
                if (ctx.replicaIndex() == 0)
                {
                    followUps.incrementAndGet();
                }
            });
        final ReplicaGroup<Log> group = ReplicaGroup.builder(i -> new Log()).name("rgt").replicas(replicas)
            .channel(TestChannels.ring(1024)).multiPublisher(true).handlers(handlers)
            .idleStrategy(IdleStrategies.byName("park")).start();
        publishValues(group.newPublisher(), ADD, 2_000);
        group.close(ShutdownMode.DRAIN);
        assertEquals(2_000, followUps.get());
        for (int r = 0; r < replicas; r++)
        {
            assertEquals(4_000, group.domain(r).events);
            assertEquals(0, group.domain(r).sum, "each follow-up cancels its add");
            assertEquals(group.domain(0).hash, group.domain(r).hash);
        }
    }

    @Test
    void singlePublisherChannelIsSharedSafelyByAHandleAndReplicaEmissions()
    {
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .replicated(ADD, (log, ctx, b, o, l) ->
            {
                log.apply(ctx, b.getLong(o));
                ctx.emit(FOLLOW_UP, ctx.key(), b, o, l);
            })
            .replicated(FOLLOW_UP, (log, ctx, b, o, l) -> log.apply(ctx, -b.getLong(o)));
        final ReplicaGroup<Log> group = ReplicaGroup.builder(i -> new Log()).name("rgt").replicas(2)
            .channel(subs -> io.dominoes.channels.ring.BroadcastRing.builder().capacity(2048).subscribers(subs).build())
            .handlers(handlers).idleStrategy(IdleStrategies.byName("park")).start();
        publishValues(group.newPublisher(), ADD, 1_000);
        group.close(ShutdownMode.DRAIN);
        assertEquals(2_000, group.domain(0).events);
        assertEquals(group.domain(0).hash, group.domain(1).hash);
    }

    @Test
    void handlerExceptionStopsTheGroupAndNamesTheEvent()
    {
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>().replicated(ADD, (log, ctx, b, o, l) ->
        {
            if (ctx.sequence() == 13)
            {
                throw new IllegalStateException("boom at 13");
            }
            log.apply(ctx, b.getLong(o));
        });
        final ReplicaGroup<Log> group = builder(2, handlers).start();
        final EventPublisher pub = group.newPublisher();
        publishValues(pub, ADD, 20);
        final ReplicaGroupException ex = assertThrows(ReplicaGroupException.class, () -> group.close(ShutdownMode.DRAIN));
        assertEquals(13, ex.sequence());
        assertEquals(ADD, ex.type());
        assertTrue(ex.getMessage().contains("replicated handler"), ex.getMessage());
        assertTrue(ex.getMessage().contains("at event seq=13 type=1"), ex.getMessage());
        assertEquals("boom at 13", ex.getCause().getMessage());
        assertSame(ex, group.failure());
        assertFalse(group.isRunning());
        assertEquals(Arrays.asList(), new ArrayList<>(TestChannels.liveThreads("rgt-replica-")));
        assertEquals(13, group.domain(ex.replica()).events, "the failing replica applied the events before it");
        assertTrue(group.domain(1 - ex.replica()).events <= 13, "no replica got past the failing event");
    }

    @Test
    void publishingAfterTheGroupFailedThrowsInsteadOfWaitingForever()
    {
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>().replicated(ADD, (log, ctx, b, o, l) ->
        {
            throw new IllegalArgumentException("always");
        });
        final ReplicaGroup<Log> group = ReplicaGroup.builder(i -> new Log()).name("rgt").replicas(1)
            .channel(TestChannels.ring(1024)).multiPublisher(true).handlers(handlers)
            .idleStrategy(IdleStrategies.byName("park")).start();
        final EventPublisher pub = group.newPublisher();
        // the ring fills once the replica has stopped; publish must then surface the failure
        final ReplicaGroupException ex = assertThrows(ReplicaGroupException.class, () -> publishValues(pub, ADD, 1_000));
        assertEquals(0, ex.sequence());
        assertThrows(ReplicaGroupException.class, group::close);
    }

    @Test
    void abortStopsEveryThreadAndLeavesNoneBehind()
    {
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .replicated(ADD, (log, ctx, b, o, l) -> log.apply(ctx, b.getLong(o)));
        final ReplicaGroup<Log> group = builder(4, handlers).name("abort-test").start();
        assertEquals(4, TestChannels.liveThreads("abort-test-replica-").size());
        publishValues(group.newPublisher(), ADD, 100);
        group.close(ShutdownMode.ABORT);
        assertFalse(group.isRunning());
        assertTrue(TestChannels.liveThreads("abort-test-replica-").isEmpty());
        assertTrue(group.channel().isClosed(), "the group owns and closes its channel");
        for (int r = 0; r < 4; r++)
        {
            assertTrue(group.domain(r).events <= 100);
        }
    }

    @Test
    void shortEventsAreCountedAsInvalidAndUnknownTypesAsUnhandled()
    {
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .replicated(ADD, (log, ctx, b, o, l) -> log.apply(ctx, b.getLong(o)));
        final ReplicaGroup<Log> group = builder(2, handlers).start();
        final EventPublisher pub = group.newPublisher();
        final UnsafeBuffer raw = new UnsafeBuffer(new byte[8]);
        // 8 bytes: shorter than the 16-byte header, published bypassing the EventPublisher.
        while (group.channel().publisher().offer(ADD, raw, 0, 8) < 0)
        {
            Thread.onSpinWait();
        }
        publishValues(pub, 77, 3);
        publishValues(pub, ADD, 2);
        // the raw offer is not counted by the group's handles; wait until it was handled before draining.
        while (group.handledEvents(0) < 6 || group.handledEvents(1) < 6)
        {
            Thread.yield();
        }
        group.close(ShutdownMode.DRAIN);
        for (int r = 0; r < 2; r++)
        {
            assertEquals(1, group.counters(r).get(ReplicaCounters.INVALID_INPUT));
            assertEquals(3, group.counters(r).get(ReplicaCounters.UNHANDLED));
            assertEquals(6, group.counters(r).get(ReplicaCounters.EVENTS));
            assertEquals(2, group.domain(r).events);
        }
    }

    @Test
    void pinnedReplicasReportTheCoreTheyRanOn()
    {
        if (!CpuAffinity.isSupported())
        {
            System.out.println("SKIPPED pinnedReplicasReportTheCoreTheyRanOn: no CPU affinity support");
            return;
        }
        final int[] allowed = CpuAffinity.allowedCpus();
        final HandlerRegistry<Log> handlers = new HandlerRegistry<Log>()
            .replicated(ADD, (log, ctx, b, o, l) -> log.apply(ctx, b.getLong(o)));
        final ReplicaGroup<Log> group = builder(2, handlers).pinToAllowedCpus().start();
        publishValues(group.newPublisher(), ADD, 100);
        group.close(ShutdownMode.DRAIN);
        for (int r = 0; r < 2; r++)
        {
            final int expected = allowed[r % allowed.length];
            assertEquals(expected, group.lastCpu(r));
            assertEquals(1L << expected, group.cpuMask(r), "pinned replica ran only on its core");
        }
        assertTrue(group.report().contains("rgt-replica-0 cpus=[" + allowed[0] + "]"), group.report());
    }
}
