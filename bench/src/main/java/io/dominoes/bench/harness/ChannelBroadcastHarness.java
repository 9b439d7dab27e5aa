package io.dominoes.bench.harness;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.Supplier;

/**
 * {@link BroadcastHarness} over any {@link BroadcastChannel}: the publisher writes each message in
 * place ({@link Publisher#tryClaim}), each subscriber polls in batches and checks every message.
 */
public final class ChannelBroadcastHarness extends AbstractBroadcastHarness
{
    /**
     * Largest batch one poll delivers.
     */
    public static final int POLL_LIMIT = 256;

    private final BroadcastChannel channel;
    private final Publisher publisher;
    private final BufferClaim claim = new BufferClaim();
    private final int messageLength;
    private final IdleStrategy publisherIdle;
    private final Supplier<IdleStrategy> idle;

    /**
     * @param name          of the implementation.
     * @param channel       to broadcast over; closed by {@link #close()}.
     * @param messageLength of every message ({@link BenchMessage#checkLength}).
     * @param idle          makes one idle strategy per thread (subscribers, and the publisher when
     *                      back-pressured).
     */
    public ChannelBroadcastHarness(
        final String name,
        final BroadcastChannel channel,
        final int messageLength,
        final Supplier<IdleStrategy> idle)
    {
        super(name, channel.subscriberCount());
        this.channel = channel;
        this.publisher = channel.publisher();
        this.messageLength = BenchMessage.checkLength(messageLength);
        if (messageLength > channel.maxMessageLength())
        {
            throw new IllegalArgumentException("message length " + messageLength + " exceeds " + name +
                " maxMessageLength " + channel.maxMessageLength());
        }
        this.publisherIdle = idle.get();
        this.idle = idle;
    }

    @Override
    Runnable subscriberBody(final int index)
    {
        final Subscriber subscriber = channel.subscriber(index);
        final SubscriberThreads threads = subscribers;
        final int length = messageLength;
        final Supplier<IdleStrategy> idleSupplier = idle;
        // Idle strategy and checker are made on the subscriber's own thread (its own TLAB), so two
        // subscribers' per-poll state never lands on one cache line.
        return () -> subscribe(index, subscriber, threads, length, idleSupplier.get());
    }

    /**
     * The subscriber loop reads only locals and objects of its own (the subscriber, the checker, the
     * padded {@link SubscriberThreads}), never this harness object: the publisher writes its fields
     * on every message.
     */
    private static void subscribe(
        final int index,
        final Subscriber subscriber,
        final SubscriberThreads threads,
        final int messageLength,
        final IdleStrategy idle)
    {
        final MessageChecker checker = new MessageChecker(index, messageLength);
        while (threads.isRunning())
        {
            final int count = subscriber.poll(checker, POLL_LIMIT);
            if (count > 0)
            {
                threads.received(index, checker.received());
            }
            idle.idle(count);
        }
    }

    @Override
    public void publishNext()
    {
        long result;
        while ((result = publisher.tryClaim(BenchMessage.MSG_TYPE_ID, messageLength, claim)) < 0)
        {
            if (!ChannelResult.isRetryable(result))
            {
                throw new BenchmarkFailure(name() + ": tryClaim returned " + ChannelResult.describe(result));
            }
            subscribers.checkFailure();
            publisherIdle.idle();
        }
        publisherIdle.reset();
        BenchMessage.encode(claim.buffer(), claim.offset(), messageLength, published);
        claim.commit();
        published++;
    }

    @Override
    public void close()
    {
        try
        {
            subscribers.stop(() -> {});
        }
        finally
        {
            channel.close();
        }
    }
}
