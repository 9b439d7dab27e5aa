package io.dominoes.bench.jmh.channels;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.dominoes.bench.harness.BenchMessage;
import io.dominoes.bench.harness.BenchmarkFailure;
import io.dominoes.bench.harness.BroadcastImplementations;
import io.dominoes.bench.harness.DisruptorBroadcastHarness.Event;
import io.dominoes.bench.harness.MessageChecker;
import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.channels.ring.RecordDescriptor;
import org.agrona.BitUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The work per message on one thread, with no second core involved: publish a batch of
 * {@link #BATCH} checked messages, then drain it through one subscriber that checks every message,
 * for the project's ring ({@code tryClaim}/{@code commit}, {@code poll}) and for the Disruptor
 * ({@code tryNext}/{@code publish}, an {@link EventPoller}). The same {@link BenchMessage} encoding
 * and {@link MessageChecker} as the throughput harnesses, so the score compares the two hot paths'
 * own cost (claims, header, cursor releases, batch bookkeeping) under equal checking work. Being
 * single-threaded it is far less sensitive to a busy shared machine than the cross-thread
 * throughput benchmarks, which also measure scheduling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsPrepend = BroadcastThroughputBenchmark.BENCHMARK_FLAGS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class BroadcastPathCostBenchmark
{
    /**
     * Messages published, then drained, per operation.
     */
    public static final int BATCH = 64;

    /**
     * {@code ring} or {@code disruptor}.
     */
    @Param({"ring", "disruptor"})
    public String impl;

    /**
     * Bytes per message.
     */
    @Param("64")
    public int messageLength;

    private BroadcastRing ring;
    private Publisher publisher;
    private Subscriber subscriber;
    private final BufferClaim claim = new BufferClaim();

    private RingBuffer<Event> disruptor;
    private EventPoller<Event> poller;
    private EventPoller.Handler<Event> pollHandler;

    private MessageChecker checker;
    private long published;

    /**
     * Build the implementation with the throughput harnesses' capacity.
     */
    @Setup
    public void setUp()
    {
        BenchMessage.checkLength(messageLength);
        checker = new MessageChecker(0, messageLength);
        final int capacity = BroadcastImplementations.CAPACITY_MESSAGES;
        switch (impl)
        {
            case "ring":
                final int record = BitUtil.align(RecordDescriptor.HEADER_LENGTH + messageLength, RecordDescriptor.ALIGNMENT);
                ring = BroadcastRing.builder()
                    .capacity(BitUtil.findNextPositivePowerOfTwo(record * capacity))
                    .subscribers(1)
                    .build();
                publisher = ring.publisher();
                subscriber = ring.subscriber(0);
                break;
            case "disruptor":
                final int length = messageLength;
                disruptor = RingBuffer.createSingleProducer(() -> new Event(length), capacity, new BusySpinWaitStrategy());
                poller = disruptor.newPoller();
                disruptor.addGatingSequences(poller.getSequence());
                final MessageChecker check = checker;
                pollHandler = (event, sequence, endOfBatch) ->
                {
                    check.check(event.msgTypeId, event.buffer, 0, event.length);
                    return true;
                };
                break;
            default:
                throw new IllegalArgumentException("impl '" + impl + "' is not one of ring, disruptor");
        }
    }

    /**
     * Publish {@link #BATCH} messages and drain them.
     *
     * @return messages checked so far.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishThenDrain() throws Exception
    {
        if (null != ring)
        {
            return ringBatch();
        }
        return disruptorBatch();
    }

    private long ringBatch()
    {
        for (int i = 0; i < BATCH; i++)
        {
            if (publisher.tryClaim(BenchMessage.MSG_TYPE_ID, messageLength, claim) < 0)
            {
                throw new BenchmarkFailure("ring refused message " + published);
            }
            BenchMessage.encode(claim.buffer(), claim.offset(), messageLength, published);
            claim.commit();
            published++;
        }
        int drained = 0;
        while (drained < BATCH)
        {
            drained += subscriber.poll(checker, 256);
        }
        return checker.received();
    }

    private long disruptorBatch() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            final long sequence = disruptor.tryNext();
            final Event event = disruptor.get(sequence);
            BenchMessage.encode(event.buffer, 0, messageLength, published);
            event.msgTypeId = BenchMessage.MSG_TYPE_ID;
            event.length = messageLength;
            disruptor.publish(sequence);
            published++;
        }
        while (checker.received() < published)
        {
            poller.poll(pollHandler);
        }
        return checker.received();
    }

    /**
     * failIfNot: every published message was checked.
     */
    @TearDown
    public void tearDown()
    {
        if (checker.received() != published)
        {
            throw new BenchmarkFailure(impl + ": checked " + checker.received() + " of " + published);
        }
        if (null != ring)
        {
            ring.close();
        }
    }
}
