package io.dominoes.bench.jmh.core;

import io.dominoes.bench.harness.BenchmarkFailure;
import io.dominoes.bench.harness.IdleStrategies;
import io.dominoes.bench.harness.SuperstepBarrier;
import org.agrona.concurrent.IdleStrategy;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bulk-synchronous supersteps while threads outnumber cores: {@link #replicas} replica threads each
 * compute {@link #work} steps of a dependent xorshift chain, then meet at a barrier together with
 * the JMH thread (the publisher's stand-in, which releases the next superstep). Every waiter waits
 * with the same {@link IdleStrategies idle strategy}. Score: supersteps per second.
 *
 * <p>What implicit coscheduling (Arpaci-Dusseau et al.) claims: with more threads than cores, a
 * waiter that spins past about one context switch wastes the slice a still-computing replica
 * needs, so busy-spin collapses; spinning about a context switch and then blocking (two-phase), or
 * an adaptive spin, stays close to the best strategy. Each replica's result is checked against the
 * value computed once in setup (failIfNot).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class OversubscribedBulkSynchronous
{
    /**
     * Idle strategy of every waiter ({@link IdleStrategies#names()}).
     */
    @Param({"spin", "yield", "park", "two-phase", "adaptive"})
    public String idle;

    /**
     * Replica threads computing in each superstep.
     */
    @Param("4")
    public int replicas;

    /**
     * Dependent xorshift steps per replica per superstep (about 1 ns each: 20000 is ~20 us).
     */
    @Param("20000")
    public int work;

    private SuperstepBarrier barrier;
    private IdleStrategy publisherIdle;
    private Thread[] threads;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running;
    private long expected;

    /**
     * Start the replicas.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        expected = compute(work, 1);
        barrier = new SuperstepBarrier(replicas + 1);
        publisherIdle = IdleStrategies.supplier(idle).get();
        running = true;
        threads = new Thread[replicas];
        for (int i = 0; i < replicas; i++)
        {
            final IdleStrategy replicaIdle = IdleStrategies.supplier(idle).get();
            final int index = i;
            threads[i] = new Thread(() -> replica(index, replicaIdle), "bsp-replica-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    private void replica(final int index, final IdleStrategy replicaIdle)
    {
        try
        {
            while (running)
            {
                final long result = compute(work, 1);
                if (result != expected)
                {
                    throw new BenchmarkFailure("replica " + index + " computed " + result + ", expected " + expected);
                }
                if (barrier.await(replicaIdle, () -> running) < 0)
                {
                    return;
                }
            }
        }
        catch (final Throwable t)
        {
            failure.compareAndSet(null, t);
        }
    }

    static long compute(final int steps, final long seed)
    {
        long x = seed;
        for (int i = 0; i < steps; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /**
     * One superstep: release the replicas and wait for all of them to finish computing.
     *
     * @return the superstep's generation (consumed by JMH).
     */
    @Benchmark
    public long superstep()
    {
        final Throwable t = failure.get();
        if (null != t)
        {
            throw new BenchmarkFailure("replica failed: " + t, t);
        }
        return barrier.await(publisherIdle, () -> null == failure.get());
    }

    /**
     * Stop the replicas.
     *
     * @throws InterruptedException if interrupted while joining.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        running = false;
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        final Throwable t = failure.get();
        if (null != t)
        {
            throw new BenchmarkFailure("replica failed: " + t, t);
        }
    }
}
