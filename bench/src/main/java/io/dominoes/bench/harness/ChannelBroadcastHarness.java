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
public final class ChannelBroadcastHarness implements BroadcastHarness
{
    /**
     * Largest batch one poll delivers.
     */
    public static final int POLL_LIMIT = 256;

    private final String name;
    private final BroadcastChannel channel;
    private final Publisher publisher;
    private final BufferClaim claim = new BufferClaim();
    private final int messageLength;
    private final IdleStrategy publisherIdle;
    private final SubscriberThreads subscribers;
    private long published;

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
        this.name = name;
        this.channel = channel;
        this.publisher = channel.publisher();
        this.messageLength = BenchMessage.checkLength(messageLength);
        if (messageLength > channel.maxMessageLength())
        {
            throw new IllegalArgumentException("message length " + messageLength + " exceeds " + name +
                " maxMessageLength " + channel.maxMessageLength());
        }
        this.publisherIdle = idle.get();
        this.subscribers = new SubscriberThreads(name, channel.subscriberCount(), (i) -> () -> subscribe(i, idle.get()));
    }

    private void subscribe(final int index, final IdleStrategy idle)
    {
        final Subscriber subscriber = channel.subscriber(index);
        final MessageChecker checker = new MessageChecker(index, messageLength);
        while (subscribers.isRunning())
        {
            final int count = subscriber.poll(checker, POLL_LIMIT);
            if (count > 0)
            {
                subscribers.received(index, checker.received());
            }
            idle.idle(count);
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void start()
    {
        subscribers.start();
    }

    @Override
    public void publishNext()
    {
        long result;
        while ((result = publisher.tryClaim(BenchMessage.MSG_TYPE_ID, messageLength, claim)) < 0)
        {
            if (!ChannelResult.isRetryable(result))
            {
                throw new BenchmarkFailure(name + ": tryClaim returned " + ChannelResult.describe(result));
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
    public long published()
    {
        return published;
    }

    @Override
    public void awaitDelivered(final long timeoutNs)
    {
        subscribers.awaitDelivered(published, timeoutNs);
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
