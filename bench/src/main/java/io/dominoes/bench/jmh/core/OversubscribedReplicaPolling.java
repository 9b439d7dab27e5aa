package io.dominoes.bench.jmh.core;

import io.dominoes.bench.harness.BroadcastHarness;
import io.dominoes.bench.harness.BroadcastImplementations;
import io.dominoes.bench.harness.IdleStrategies;
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
 * Replicas polling a broadcast channel while threads outnumber cores: 1 publisher (the JMH thread)
 * and {@link #replicas} subscriber threads (4 by default: 5 threads on the 2-core bench machine),
 * all waiting with the same {@link IdleStrategies idle strategy} (subscribers when the channel is
 * empty, the publisher when back-pressured). Score: messages per second, each delivered to and
 * checked by every replica. Busy-spin should lose here: a spinning replica burns the slice the
 * publisher or a lagging replica needs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class OversubscribedReplicaPolling
{
    /**
     * Idle strategy of every thread ({@link IdleStrategies#names()}).
     */
    @Param({"spin", "yield", "park", "two-phase", "adaptive"})
    public String idle;

    /**
     * Channel implementation.
     */
    @Param("ring")
    public String channel;

    /**
     * Replica (subscriber) threads.
     */
    @Param("4")
    public int replicas;

    private BroadcastHarness harness;

    /**
     * Build the channel and start the replicas.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        harness = BroadcastImplementations.createChannelHarness(channel, replicas, 64, IdleStrategies.supplier(idle));
        harness.start();
    }

    /**
     * failIfNot: every replica got every message, checked.
     */
    @TearDown(Level.Iteration)
    public void checkDelivered()
    {
        harness.awaitDelivered(TimeUnit.SECONDS.toNanos(60));
    }

    /**
     * Stop the replicas.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        harness.close();
    }

    /**
     * Publish one message.
     */
    @Benchmark
    public void publish()
    {
        harness.publishNext();
    }
}
