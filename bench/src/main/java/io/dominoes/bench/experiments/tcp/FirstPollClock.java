package io.dominoes.bench.experiments.tcp;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel seen through a stopwatch: it delegates everything, and records the time just before the first poll
 * of any subscriber that returned messages. A benchmark over a pre-filled channel then times processing from the
 * first event a replica takes, without the group's start-up (thread creation and scheduling, which on a loaded
 * machine took 1-20 ms, domains, pinning) that a clock started before {@code ReplicaGroup.Builder.start()} counts.
 * <p>
 * Costs each subscriber one plain field test per poll once started; {@link System#nanoTime()} is read per poll
 * only until that subscriber's first non-empty poll.
 */
final class FirstPollClock implements BroadcastChannel
{
    private final BroadcastChannel channel;
    private final AtomicLong firstNs = new AtomicLong(Long.MAX_VALUE);

    FirstPollClock(final BroadcastChannel channel)
    {
        this.channel = channel;
    }

    /**
     * @return {@link System#nanoTime()} taken before the earliest non-empty poll, or {@link Long#MAX_VALUE}.
     */
    long firstPollNs()
    {
        return firstNs.get();
    }

    public int maxMessageLength()
    {
        return channel.maxMessageLength();
    }

    public int subscriberCount()
    {
        return channel.subscriberCount();
    }

    public Publisher publisher()
    {
        return channel.publisher();
    }

    public Subscriber subscriber(final int index)
    {
        final Subscriber subscriber = channel.subscriber(index);
        return new Subscriber()
        {
            private boolean started;

            public int poll(final MessageHandler handler, final int limit)
            {
                if (started)
                {
                    return subscriber.poll(handler, limit);
                }
                final long now = System.nanoTime();
                final int n = subscriber.poll(handler, limit);
                if (n > 0)
                {
                    started = true;
                    firstNs.accumulateAndGet(now, Math::min);
                }
                return n;
            }

            public int index()
            {
                return subscriber.index();
            }
        };
    }

    public boolean isClosed()
    {
        return channel.isClosed();
    }

    public void close()
    {
        channel.close();
    }
}
