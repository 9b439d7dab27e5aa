package io.dominoes.bench.jmh.channels;

import io.dominoes.channels.ring.RingDescriptor;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Does the ring's counter padding matter? Two threads release their own counter in a loop, as the
 * publisher releases the tail per message and a subscriber releases its cursor per batch: they
 * share no data, only (in the unpadded layout) a cache line.
 *
 * <ul>
 *   <li>{@code padded}: the offsets {@link RingDescriptor} gives the ring (tail and subscriber 0's
 *       cursor {@value RingDescriptor#COUNTER_SLOT_LENGTH} bytes apart, two cache lines).</li>
 *   <li>{@code unpadded}: the two counters in adjacent 8-byte words of one cache line.</li>
 * </ul>
 *
 * The score is releases per second of each thread ({@code publisher}, {@code subscriber}) and of
 * the group; padded should be several times unpadded on any multi-core machine (the line
 * ping-pongs between the cores in the unpadded layout). The buffer is 128-byte aligned direct
 * memory, so "adjacent words" really is one line. Each thread keeps its count only in its counter
 * (reads it, adds one, releases it): a field of the shared state object would itself be a shared
 * line. Set-up fails if the two offsets coincide.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsPrepend = BroadcastThroughputBenchmark.BENCHMARK_FLAGS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Group)
public class RingCursorFalseSharingBenchmark
{
    private static final int CAPACITY = RingDescriptor.MIN_CAPACITY;

    /**
     * Counter layout.
     */
    @Param({"padded", "unpadded"})
    public String layout;

    private UnsafeBuffer buffer;
    private int tailOffset;
    private int cursorOffset;

    /**
     * Allocate the ring-sized buffer and place the two counters.
     */
    @Setup
    public void setUp()
    {
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            CAPACITY + RingDescriptor.trailerLength(1), 2 * RingDescriptor.COUNTER_SLOT_LENGTH));
        tailOffset = CAPACITY + RingDescriptor.TAIL_OFFSET;
        switch (layout)
        {
            case "padded":
                cursorOffset = RingDescriptor.cursorOffset(CAPACITY, 0);
                break;
            case "unpadded":
                cursorOffset = tailOffset + Long.BYTES;
                break;
            default:
                throw new IllegalArgumentException("layout '" + layout + "' is not one of padded, unpadded");
        }
        if (cursorOffset == tailOffset)
        {
            throw new IllegalStateException("tail and cursor at the same offset " + tailOffset);
        }
    }

    /**
     * The publisher's store per message: release the tail.
     *
     * @return the value released.
     */
    @Benchmark
    @Group("counters")
    @GroupThreads(1)
    public long publisher()
    {
        return increment(tailOffset);
    }

    /**
     * A subscriber's store per batch: release its cursor.
     *
     * @return the value released.
     */
    @Benchmark
    @Group("counters")
    @GroupThreads(1)
    public long subscriber()
    {
        return increment(cursorOffset);
    }

    /**
     * Plain load of the own counter (only this thread writes it), release store of the next value.
     */
    private long increment(final int offset)
    {
        final long value = buffer.getLong(offset) + 1;
        buffer.putLongRelease(offset, value);
        return value;
    }
}
