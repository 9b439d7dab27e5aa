package io.dominoes.bench.harness;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import org.agrona.BitUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference: an LMAX Disruptor 4.0.0 single-producer multicast ring, one
 * {@link BatchEventProcessor} (event handler) per subscriber on the same ring, all gating the
 * producer (the Disruptor's {@code OneToThreeSequencedThroughputTest} topology). Events are
 * preallocated and written in place. The producer uses {@code tryNext()} and waits with the same
 * idle strategy as the channel harnesses (plain {@code next()} would park 1 ns per retry); the
 * handlers wait with the Disruptor strategy closest to the channel subscribers'
 * ({@link WaitMode#newWaitStrategy()}).
 */
public final class DisruptorBroadcastHarness extends AbstractBroadcastHarness
{
    private final RingBuffer<Event> ring;
    private final int messageLength;
    private final IdleStrategy publisherIdle;
    private final List<BatchEventProcessor<Event>> processors = new ArrayList<>();

    /**
     * @param subscribers   number of event handlers.
     * @param messageLength of every message.
     * @param capacity      ring slots (rounded up to a power of two).
     * @param wait          how handlers and the back-pressured producer wait (resolved).
     */
    public DisruptorBroadcastHarness(final int subscribers, final int messageLength, final int capacity, final WaitMode wait)
    {
        super(BroadcastImplementations.REFERENCE, subscribers);
        this.messageLength = BenchMessage.checkLength(messageLength);
        this.ring = RingBuffer.createSingleProducer(
            () -> new Event(messageLength), BitUtil.findNextPositivePowerOfTwo(capacity), wait.newWaitStrategy());
        this.publisherIdle = wait.newIdleStrategy();
        final SequenceBarrier barrier = ring.newBarrier();
        final Sequence[] gating = new Sequence[subscribers];
        for (int i = 0; i < subscribers; i++)
        {
            final BatchEventProcessor<Event> processor =
                new BatchEventProcessorBuilder().build(ring, barrier, new CheckingHandler(i, messageLength, this.subscribers));
            processors.add(processor);
            gating[i] = processor.getSequence();
        }
        ring.addGatingSequences(gating);
        for (final BatchEventProcessor<Event> p : processors)
        {
            p.setExceptionHandler(new FailingExceptionHandler());
        }
    }

    @Override
    Runnable subscriberBody(final int index)
    {
        return processors.get(index);
    }

    @Override
    public void publishNext()
    {
        long sequence;
        while (true)
        {
            try
            {
                sequence = ring.tryNext();
                break;
            }
            catch (final InsufficientCapacityException ex)
            {
                // A preallocated singleton in Disruptor 4: back-pressure without allocation.
                subscribers.checkFailure();
                publisherIdle.idle();
            }
        }
        publisherIdle.reset();
        final Event event = ring.get(sequence);
        BenchMessage.encode(event.buffer, 0, messageLength, published);
        event.msgTypeId = BenchMessage.MSG_TYPE_ID;
        event.length = messageLength;
        // publish() is the release store of the cursor; handlers read the event after acquiring it.
        ring.publish(sequence);
        published++;
    }

    @Override
    public void close()
    {
        subscribers.stop(() -> processors.forEach(BatchEventProcessor::halt));
    }

    /**
     * The preallocated Disruptor event: a message's bytes, type and length (also used by
     * {@code BroadcastPathCostBenchmark}).
     */
    public static final class Event
    {
        /**
         * The message bytes.
         */
        public final UnsafeBuffer buffer;
        /**
         * The message type.
         */
        public int msgTypeId;
        /**
         * The message length.
         */
        public int length;

        /**
         * @param capacity bytes of the message buffer.
         */
        public Event(final int capacity)
        {
            buffer = new UnsafeBuffer(new byte[capacity]);
        }
    }

    /**
     * Reads only its own fields, never the harness object (which the publisher writes per message),
     * like the channel harness's subscriber loop.
     */
    private static final class CheckingHandler implements EventHandler<Event>
    {
        private final int index;
        private final MessageChecker checker;
        private final SubscriberThreads threads;

        CheckingHandler(final int index, final int messageLength, final SubscriberThreads threads)
        {
            this.index = index;
            this.checker = new MessageChecker(index, messageLength);
            this.threads = threads;
        }

        @Override
        public void onEvent(final Event event, final long sequence, final boolean endOfBatch)
        {
            checker.check(event.msgTypeId, event.buffer, 0, event.length);
            if (endOfBatch)
            {
                threads.received(index, checker.received());
            }
        }
    }

    private final class FailingExceptionHandler implements ExceptionHandler<Event>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Event event)
        {
            subscribers.fail(ex);
            // Rethrow: the processor's run() ends, like a channel subscriber thread that threw.
            throw ex instanceof RuntimeException ? (RuntimeException)ex : new BenchmarkFailure("handler failed", ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            subscribers.fail(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            subscribers.fail(ex);
        }
    }
}
