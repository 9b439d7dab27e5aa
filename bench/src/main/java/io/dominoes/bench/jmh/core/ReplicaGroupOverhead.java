package io.dominoes.bench.jmh.core;

import io.dominoes.bench.harness.BenchmarkFailure;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.Domain;
import io.dominoes.core.EventContext;
import io.dominoes.core.EventPublisher;
import io.dominoes.core.HandlerRegistry;
import io.dominoes.core.ReplicaGroup;
import io.dominoes.core.ShutdownMode;
import io.dominoes.core.idle.IdleStrategies;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * MISD runtime overhead: events per second through a {@link ReplicaGroup} over the project's ring
 * whose handler does (almost) nothing, so the score is the runtime's own cost per event (header
 * codec, dispatch, cursor, outbox check). {@code replicated}: every replica runs the handler;
 * {@code partitioned}: only the key's owner does. The handler checks the event (its body is its key,
 * keys arrive in order) so a wrong delivery fails the group, and the publisher with it; at the end
 * every replica (replicated) or the replicas together (partitioned) must have handled every event.
 *
 * <p>Waiting: {@code auto} is dominoes-core's own default for replicas + 1 publisher threads on this
 * machine's cores ({@link IdleStrategies#defaultFor}: two-phase when each has a core, else park).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ReplicaGroupOverhead
{
    static final int EVENT_TYPE = 1;

    /**
     * replicated or partitioned.
     */
    @Param({"replicated", "partitioned"})
    public String handler;

    /**
     * Replica threads.
     */
    @Param({"1", "2"})
    public int replicas;

    /**
     * Idle strategy name, or auto for core's default for this thread count.
     */
    @Param("auto")
    public String idle;

    private ReplicaGroup<ProbeDomain> group;
    private EventPublisher publisher;
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
    private long key;

    /**
     * Domain of the benchmark: counts what it handled and checks order.
     */
    static final class ProbeDomain implements Domain
    {
        long handled;
        long lastKey = -1;
    }

    private static void check(final ProbeDomain d, final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        final long k = ctx.key();
        if (length != 8 || buffer.getLong(offset) != k || k <= d.lastKey)
        {
            throw new BenchmarkFailure("event key " + k + " after " + d.lastKey + ", body length " + length);
        }
        d.lastKey = k;
        d.handled++;
    }

    /**
     * Start the group.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final HandlerRegistry<ProbeDomain> handlers = new HandlerRegistry<>();
        if ("replicated".equals(handler))
        {
            handlers.replicated(EVENT_TYPE, ReplicaGroupOverhead::check);
        }
        else if ("partitioned".equals(handler))
        {
            handlers.partitioned(EVENT_TYPE, ReplicaGroupOverhead::check);
        }
        else
        {
            throw new IllegalArgumentException("handler '" + handler + "' is not one of replicated, partitioned");
        }
        group = ReplicaGroup.builder((i) -> new ProbeDomain())
            .replicas(replicas)
            .channel((subscribers) -> BroadcastRing.builder().capacity(1 << 17).subscribers(subscribers).build())
            .handlers(handlers)
            .idleStrategy("auto".equals(idle) ?
                IdleStrategies.defaultFor(replicas + 1, Runtime.getRuntime().availableProcessors()) :
                IdleStrategies.byName(idle))
            .name("overhead")
            .start();
        publisher = group.newPublisher();
        key = 0;
    }

    /**
     * Publish one event (waits while back-pressured; throws if the group failed).
     */
    @Benchmark
    public void publish()
    {
        body.putLong(0, key);
        publisher.publish(EVENT_TYPE, key, body, 0, 8);
        key++;
    }

    /**
     * Every replica's cursor has passed every event.
     */
    @TearDown(Level.Iteration)
    public void checkHandled()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < replicas; i++)
        {
            while (group.handledEvents(i) < key)
            {
                if (null != group.failure())
                {
                    throw group.failure();
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new BenchmarkFailure("replica " + i + " handled " + group.handledEvents(i) + " of " + key);
                }
                Thread.yield();
            }
        }
    }

    /**
     * Drain, stop, and check the domains' counts.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        group.close(ShutdownMode.DRAIN);
        long total = 0;
        for (int i = 0; i < replicas; i++)
        {
            final long handled = group.domain(i).handled;
            if ("replicated".equals(handler) && handled != key)
            {
                throw new BenchmarkFailure("replica " + i + " handled " + handled + " of " + key + " replicated events");
            }
            total += handled;
        }
        if ("partitioned".equals(handler) && total != key)
        {
            throw new BenchmarkFailure("replicas handled " + total + " of " + key + " partitioned events");
        }
    }
}
