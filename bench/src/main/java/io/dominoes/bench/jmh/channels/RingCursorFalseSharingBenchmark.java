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
 * Does the ring's counter padding matter? A publisher thread and a subscriber thread each update
 * their own counter in a loop; they share no data, only (in the unpadded layout) a cache line.
 *
 * <ul>
 *   <li>{@code padded}: the offsets {@link RingDescriptor} gives the ring (the publisher's counter
 *       and subscriber 0's cursor at least {@value RingDescriptor#COUNTER_SLOT_LENGTH} bytes apart,
 *       two cache lines).</li>
 *   <li>{@code unpadded}: the two counters in adjacent 8-byte words of one cache line.</li>
 * </ul>
 *
 * Two groups, one per publisher kind:
 * <ul>
 *   <li>{@code single}: the single-publisher ring's stores, a release of the tail per message
 *       against a release of the cursor per batch. Release stores are plain stores on x86, so the
 *       store buffer hides much of the line's ping-pong: expect a modest gap.</li>
 *   <li>{@code multi}: the multi-publisher ring's claim, an atomic add on the claim tail per
 *       message, against the cursor release. A locked add must own the line and drain the store
 *       buffer every time: in one line with a cursor another core keeps writing it ping-pongs on
 *       every message. Expect padded to be several times unpadded on a multi-core machine.</li>
 * </ul>
 *
 * The score is updates per microsecond of each thread and of the group. The buffer is 256-byte
 * aligned direct memory, so "adjacent words" really is one line. Each thread keeps its count only
 * in its counter: a field of the shared state object would itself be a shared line. Set-up fails
 * if the two offsets coincide. On a loaded 2-core machine the threads often do not run at the same
 * time and the gap shrinks; compare on an idle machine.
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
    private int claimTailOffset;
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
                claimTailOffset = CAPACITY + RingDescriptor.CLAIM_TAIL_OFFSET;
                cursorOffset = RingDescriptor.cursorOffset(CAPACITY, 0);
                break;
            case "unpadded":
                claimTailOffset = tailOffset;
                cursorOffset = tailOffset + Long.BYTES;
                break;
            default:
                throw new IllegalArgumentException("layout '" + layout + "' is not one of padded, unpadded");
        }
        if (cursorOffset == tailOffset || cursorOffset == claimTailOffset)
        {
            throw new IllegalStateException("a tail and the cursor at the same offset " + cursorOffset);
        }
    }

    /**
     * The single publisher's store per message: release the tail.
     *
     * @return the value released.
     */
    @Benchmark
    @Group("single")
    @GroupThreads(1)
    public long singlePublisher()
    {
        return increment(tailOffset);
    }

    /**
     * A subscriber's store per batch: release its cursor.
     *
     * @return the value released.
     */
    @Benchmark
    @Group("single")
    @GroupThreads(1)
    public long singleSubscriber()
    {
        return increment(cursorOffset);
    }

    /**
     * A multi-publisher's claim per message: atomic add on the claim tail.
     *
     * @return the claim tail before the add.
     */
    @Benchmark
    @Group("multi")
    @GroupThreads(1)
    public long multiPublisher()
    {
        return buffer.getAndAddLong(claimTailOffset, 1);
    }

    /**
     * A subscriber's store per batch: release its cursor.
     *
     * @return the value released.
     */
    @Benchmark
    @Group("multi")
    @GroupThreads(1)
    public long multiSubscriber()
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
