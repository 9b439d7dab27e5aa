package io.dominoes.bench.jmh.channels;

import io.dominoes.bench.harness.BroadcastHarness;
import io.dominoes.bench.harness.BroadcastImplementations;
import io.dominoes.bench.harness.WaitMode;
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
 * Broadcast throughput, one publisher to {@link #subscribers()} checking subscribers: the score is
 * messages published per second (each delivered to, and checked by, every subscriber). The JMH
 * thread is the publisher; the subscribers run on threads the harness owns. After each iteration
 * every subscriber must have received every message, in order, with the right payload, or the
 * benchmark fails ({@code BenchmarkFailure}).
 *
 * <p>Benchmark flags: every fork runs with {@value #BENCHMARK_FLAGS} (Agrona's bounds checks
 * off, as Agrona and Aeron benchmark), for every implementation alike: the ring, the Disruptor
 * harness and JCTools fan-out all read and write messages through Agrona {@code UnsafeBuffer}s.
 * The flag is a {@code jvmArgsPrepend}, so the project flags that the command line appends
 * ({@code ./dominoes jmh}, {@code channel-bench}) keep it; passing {@code -jvmArgsPrepend}
 * yourself replaces it. Tests keep the checks on.
 *
 * <p>CPU isolation: none on the 2-core bench machine; results from it compare implementations
 * measured in the same run, not absolute speed. On a bigger box, isolate cores ({@code isolcpus},
 * {@code taskset}) as the Aeron/Disruptor performance guides describe.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = BroadcastThroughputBenchmark.BENCHMARK_FLAGS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public abstract class BroadcastThroughputBenchmark
{
    /**
     * JVM flag every fork of the channel benchmarks runs with: Agrona buffer bounds checks off.
     */
    public static final String BENCHMARK_FLAGS = "-Dagrona.disable.bounds.checks=true";

    /**
     * Implementation name ({@link BroadcastImplementations#names()}).
     */
    @Param({"ring", "aeron-ipc", "chronicle", "jctools-fanout", "disruptor"})
    public String impl;

    /**
     * Bytes per message.
     */
    @Param("64")
    public int messageLength;

    /**
     * How subscribers wait ({@link WaitMode}): auto spins for one subscriber, yields for more.
     */
    @Param("auto")
    public String waitMode;

    private BroadcastHarness harness;

    /**
     * @return number of subscribers of this topology.
     */
    protected abstract int subscribers();

    /**
     * Build the channel and start the subscribers.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        harness = BroadcastImplementations.create(impl, subscribers(), messageLength, WaitMode.parse(waitMode));
        harness.start();
    }

    /**
     * failIfNot: every subscriber got every message published so far, checked.
     */
    @TearDown(Level.Iteration)
    public void checkDelivered()
    {
        harness.awaitDelivered(TimeUnit.SECONDS.toNanos(30));
    }

    /**
     * Stop subscribers, release the channel.
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
